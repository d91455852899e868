<#
.SYNOPSIS
    The demo's stand-in agent, used when no real agent CLI is set up: it really edits a file in its
    worktree and commits it, and speaks Climux's JSON-lines provider format. Its token counts are
    simulated (from the size of what it wrote), so the demo can show cost accounting. Asked to
    resolve merge conflicts, it keeps both sides of each conflicted file and stages it.
#>
param([Parameter(Mandatory)] [string] $Prompt)

$ErrorActionPreference = 'Stop'
function Say([hashtable] $Event) { [Console]::Out.WriteLine(($Event | ConvertTo-Json -Compress -Depth 5)); [Console]::Out.Flush() }

$session = [guid]::NewGuid().ToString()
Say @{ type = 'session'; id = $session; model = 'demo-model' }
Say @{ type = 'message'; role = 'assistant'; text = "Working on: $(($Prompt -split "`n")[0])" }
Start-Sleep -Milliseconds 1500   # long enough for the demo to show the run in Get-ClimuxStatus
$written = 0

# Climux's conflict prompt lists the files after "Conflicted files:"; keep both sides of each.
$task = $Prompt
if ($Prompt -match '(?s)Conflicted files:\r?\n(?<files>(- [^\n]*\r?\n)+)') {
    foreach ($file in $Matches.files -split '\r?\n' | Where-Object { $_ } | ForEach-Object { $_.Substring(2).Trim() }) {
        $kept = Get-Content $file | Where-Object { $_ -notmatch '^(<<<<<<< |=======$|>>>>>>> |\|\|\|\|\|\|\| )' }
        Set-Content $file $kept
        git add -- $file
        $written += ($kept -join "`n").Length
        Say @{ type = 'tool_call'; tool = 'edit_file'; input = @{ path = $file } }
        Say @{ type = 'tool_result'; tool = 'edit_file'; output = "kept both sides of the conflict in $file" }
    }
    $task = if ($Prompt -match '(?s)do your own task:\s*(?<task>.+)$') { $Matches.task.Trim() } else { $null }
}

# The task names the file: "... in <file>"; "and link it from README.md" adds a line there too.
if ($task) {
    $file = if ($task -match 'in (\S+\.md)') { $Matches[1] } else { 'NOTES.md' }
    $content = "# $task`n`nWritten by the Climux demo agent on branch $(git branch --show-current).`n"
    Say @{ type = 'tool_call'; tool = 'write_file'; input = @{ path = $file } }
    New-Item -ItemType Directory -Path (Split-Path -Parent (Join-Path $PWD $file)) -Force | Out-Null
    Set-Content -Path $file -Value $content
    $written += $content.Length
    if ($task -match 'link it from README.md') { Add-Content README.md "- [$file]($file)" }
    Say @{ type = 'tool_result'; tool = 'write_file'; output = "wrote $($content.Length) characters to $file" }
}

# A merge in progress is Climux's to commit.
git add -A
if (-not (Test-Path (Join-Path (git rev-parse --absolute-git-dir) 'MERGE_HEAD'))) {
    Say @{ type = 'tool_call'; tool = 'shell'; input = @{ command = "git commit -m '$task'" } }
    $commit = git -c user.name='Climux demo agent' -c user.email='demo@climux.invalid' commit -q -m $task 2>&1
    Say @{ type = 'tool_result'; tool = 'shell'; output = "$commit committed $(git rev-parse --short HEAD)" }
}

Start-Sleep -Milliseconds 500
Say @{ type = 'usage'; model = 'demo-model'; input_tokens = 1200 + $Prompt.Length; output_tokens = [int]($written / 4) + 40; cache_read_tokens = 800; cache_write_tokens = 0 }
Say @{ type = 'result'; text = 'Done: written' + $(if ($task) { ' and committed' } else { ' and staged; the merge is Climux''s to commit' }) + '.'; is_error = $false }
