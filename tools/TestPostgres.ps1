# A throw-away PostgreSQL cluster for the tests and the bench: initdb into a temporary folder,
# listening on 127.0.0.1 only (a free port, no Unix socket), run by an unprivileged user (the
# 'postgres' account when this runs as root, since PostgreSQL refuses to run as root), stopped
# by its postmaster's pid and deleted by Stop-TestPostgres.
# Dot-source it: . ./tools/TestPostgres.ps1; $pg = Start-TestPostgres; ...; Stop-TestPostgres $pg

function Find-PostgresBin {
    $initdb = Get-Command initdb -CommandType Application -ErrorAction SilentlyContinue | Select-Object -First 1
    if ($initdb) { return Split-Path $initdb.Source }
    $debian = Get-ChildItem /usr/lib/postgresql/*/bin/initdb -ErrorAction SilentlyContinue | Sort-Object { [int]$_.Directory.Parent.Name } | Select-Object -Last 1
    if ($debian) { return $debian.DirectoryName }
    return $null
}

function Get-FreePort {
    $listener = [Net.Sockets.TcpListener]::new([Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { return $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

# Runs a PostgreSQL program as the cluster's owner.
function Invoke-AsPostgresOwner([string] $User, [string] $Program, [string[]] $Arguments) {
    if ($User) { & runuser -u $User -- $Program @Arguments } else { & $Program @Arguments }
    if ($LASTEXITCODE -ne 0) { throw "'$Program $($Arguments -join ' ')' exited with code $LASTEXITCODE." }
}

function Start-TestPostgres {
    $bin = Find-PostgresBin
    if (-not $bin) { return $null }
    $user = $null
    if ((& id -u) -eq '0') {
        $user = if (& getent passwd postgres) { 'postgres' } else { 'nobody' }
    }
    $data = Join-Path ([IO.Path]::GetTempPath()) "climux-pg-$([Guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory -Path $data | Out-Null
    & chmod 700 $data
    if ($user) { & chown $user $data }
    $port = Get-FreePort
    Invoke-AsPostgresOwner $user (Join-Path $bin 'initdb') @('-D', "$data/db", '-U', 'climux', '--auth=trust', '--no-locale', '-E', 'UTF8', '--no-sync') | Out-Null
    @(
        "listen_addresses = '127.0.0.1'", "port = $port", "unix_socket_directories = ''",
        'max_connections = 300', 'fsync = off', 'synchronous_commit = off', 'full_page_writes = off', 'shared_buffers = 32MB'
    ) | Add-Content -Path "$data/db/postgresql.conf"
    Invoke-AsPostgresOwner $user (Join-Path $bin 'pg_ctl') @('-D', "$data/db", '-l', "$data/server.log", '-w', '-t', '60', 'start') | Out-Null
    $postmaster = [int](Get-Content "$data/db/postmaster.pid" -TotalCount 1)
    return [pscustomobject]@{
        ConnectionString = "Host=127.0.0.1;Port=$port;Username=climux;Database=postgres"
        Pid              = $postmaster
        DataDirectory    = $data
        Log              = "$data/server.log"
    }
}

function Stop-TestPostgres($Cluster) {
    if (-not $Cluster) { return }
    # SIGINT is PostgreSQL's fast shutdown: it ends its clients and stops cleanly.
    & kill -INT $Cluster.Pid 2>$null
    $deadline = [DateTime]::UtcNow.AddSeconds(30)
    while ((Test-Path "/proc/$($Cluster.Pid)") -and [DateTime]::UtcNow -lt $deadline) { Start-Sleep -Milliseconds 100 }
    if (Test-Path "/proc/$($Cluster.Pid)") { & kill -KILL $Cluster.Pid 2>$null }
    Remove-Item $Cluster.DataDirectory -Recurse -Force -ErrorAction SilentlyContinue
}
