<#
.SYNOPSIS
    The demo's stand-in agent, used when no real agent CLI is set up: it really edits a file in its
    worktree and commits it, and speaks Climux's JSON-lines provider format. Its token counts are
    simulated (from the size of what it wrote), so the demo can show cost accounting.
#>
param([Parameter(Mandatory)] [string] $Prompt)

$ErrorActionPreference = 'Stop'
function Say([hashtable] $Event) { [Console]::Out.WriteLine(($Event | ConvertTo-Json -Compress -Depth 5)); [Console]::Out.Flush() }

$session = [guid]::NewGuid().ToString()
Say @{ type = 'session'; id = $session; model = 'demo-model' }
Say @{ type = 'message'; role = 'assistant'; text = "Working on: $Prompt" }
Start-Sleep -Milliseconds 1500   # long enough for the demo to show the run in Get-ClimuxStatus

# The task names the file: "... in <file>".
$file = if ($Prompt -match 'in (\S+)$') { $Matches[1] } else { 'NOTES.md' }
$content = "# $Prompt`n`nWritten by the Climux demo agent on branch $(git branch --show-current).`n"
Say @{ type = 'tool_call'; tool = 'write_file'; input = @{ path = $file } }
New-Item -ItemType Directory -Path (Split-Path -Parent (Join-Path $PWD $file)) -Force | Out-Null
Set-Content -Path $file -Value $content
Say @{ type = 'tool_result'; tool = 'write_file'; output = "wrote $($content.Length) characters to $file" }

Say @{ type = 'tool_call'; tool = 'shell'; input = @{ command = "git commit -m '$Prompt'" } }
git add -A
$commit = git -c user.name='Climux demo agent' -c user.email='demo@climux.invalid' commit -q -m $Prompt 2>&1
Say @{ type = 'tool_result'; tool = 'shell'; output = "$commit committed $(git rev-parse --short HEAD)" }

Start-Sleep -Milliseconds 500
Say @{ type = 'usage'; model = 'demo-model'; input_tokens = 1200 + $Prompt.Length; output_tokens = [int]($content.Length / 4) + 40; cache_read_tokens = 800; cache_write_tokens = 0 }
Say @{ type = 'result'; text = "Done: $file written and committed."; is_error = $false }
