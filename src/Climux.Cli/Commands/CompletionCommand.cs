using System.CommandLine;
using Climux.Cli.Rendering;

namespace Climux.Cli.Commands;

/// <summary>
/// <c>climux completion bash|zsh|pwsh</c>: a script that asks climux itself for completions
/// (System.CommandLine's <c>[suggest:POSITION]</c> directive), so they follow the commands as they are.
/// </summary>
public static class CompletionCommand
{
    public const string Bash = """
        # climux completion for bash: eval "$(climux completion bash)" (in ~/.bashrc)
        _climux_complete() {
            local IFS=$'\n'
            local candidates
            candidates=$(climux "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null)
            COMPREPLY=($candidates)
        }
        complete -o default -F _climux_complete climux
        """;

    public const string Zsh = """
        # climux completion for zsh: eval "$(climux completion zsh)" (in ~/.zshrc, after compinit)
        _climux() {
            local line="${words[1,CURRENT]}"
            local -a candidates
            candidates=("${(@f)$(climux "[suggest:${#line}]" "$line" 2>/dev/null)}")
            compadd -- $candidates
        }
        compdef _climux climux
        """;

    public const string Pwsh = """
        # climux completion for PowerShell: climux completion pwsh | Out-String | Invoke-Expression (in $PROFILE)
        Register-ArgumentCompleter -Native -CommandName climux -ScriptBlock {
            param($wordToComplete, $commandAst, $cursorPosition)
            climux "[suggest:$cursorPosition]" "$commandAst" 2>$null | Where-Object { $_ -like "$wordToComplete*" } | ForEach-Object {
                [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
            }
        }
        """;

    public static Command Create(CliContext context)
    {
        var shell = new Argument<string>("shell") { Description = "bash, zsh or pwsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh", "pwsh");
        var command = new Command("completion", "Prints a shell script that completes climux commands, options and values.") { shell }.WithExamples("""
            eval "$(climux completion bash)"
            eval "$(climux completion zsh)"
            climux completion pwsh | Out-String | Invoke-Expression
            """);
        command.SetAction(parse =>
        {
            context.Out.WriteLine(parse.GetValue(shell) switch
            {
                "bash" => Bash,
                "zsh" => Zsh,
                _ => Pwsh,
            });
            return ExitCodes.Success;
        });
        return command;
    }
}
