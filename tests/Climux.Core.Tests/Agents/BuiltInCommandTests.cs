using Climux.Core.Agents;
using Climux.Core.Config;
using Climux.Core.Sessions;

namespace Climux.Core.Tests.Agents;

public sealed class BuiltInCommandTests
{
    private const string Prompt = "do it";
    private const string Tricky = "say \"hi\" & 'bye'\nnext line $HOME `uname` ; rm -rf / | cat > f \\ end {model} {prompt}";
    private static readonly string Huge = new('a', 200 * 1024);

    private static AgentInvocation Invocation(
        string prompt = Prompt, RunMode mode = RunMode.Task, bool unrestricted = false, string? model = null,
        string? resume = null, string? preset = null, bool inGit = true, ProviderConfig? settings = null) =>
        new()
        {
            Prompt = prompt, Mode = mode, Unrestricted = unrestricted, Model = model, WorkingDirectory = "/work/tree",
            ResumeSessionId = resume, PresetSessionId = preset, InGitRepository = inGit, Settings = settings,
        };

    private static IReadOnlyList<string> Args(AgentProvider provider, AgentInvocation invocation)
    {
        var command = provider.BuildCommand(invocation, "/bin/x");
        Assert.Equal("/bin/x", command.Executable);
        Assert.Null(command.StandardInput);
        return command.Arguments;
    }

    public static TheoryData<string> Providers => ["claude-code", "codex", "gemini-cli", "opencode", "qwen-code"];

    private static AgentProvider Find(string name) => AgentProviders.Find(name, new ClimuxConfig())!;

    // Qwen Code

    [Fact]
    public void Qwen_task_auto_edits_plan_plans_unrestricted_is_yolo_and_resume_resumes()
    {
        var qwen = new QwenCodeProvider();
        Assert.Equal(["--output-format", "stream-json", "--approval-mode", "auto-edit", Prompt], Args(qwen, Invocation()));
        Assert.Equal(["--output-format", "stream-json", "--approval-mode", "plan", Prompt], Args(qwen, Invocation() with { Mode = RunMode.Plan }));
        Assert.Contains("yolo", Args(qwen, Invocation() with { Unrestricted = true }));
        Assert.Equal(["--output-format", "stream-json", "--resume", "s-1", "-m", "qwen3-coder-plus", "--approval-mode", "auto-edit", Prompt],
            Args(qwen, Invocation() with { ResumeSessionId = "s-1", Model = "qwen3-coder-plus" }));
    }

    // Claude Code

    [Fact]
    public void Claude_task_accepts_edits_with_stream_json_and_verbose()
    {
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits", Prompt], Args(new ClaudeCodeProvider(), Invocation()));
    }

    [Fact]
    public void Claude_plan_uses_plan_permission_mode()
    {
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "plan", Prompt], Args(new ClaudeCodeProvider(), Invocation(mode: RunMode.Plan)));
    }

    [Fact]
    public void Claude_unrestricted_task_bypasses_permissions()
    {
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "bypassPermissions", Prompt],
            Args(new ClaudeCodeProvider(), Invocation(unrestricted: true)));
    }

    [Fact]
    public void Claude_unrestricted_plan_stays_in_plan_mode()
    {
        var args = Args(new ClaudeCodeProvider(), Invocation(mode: RunMode.Plan, unrestricted: true));

        Assert.Equal("plan", args[args.ToList().IndexOf("--permission-mode") + 1]);
        Assert.DoesNotContain("bypassPermissions", args);
        Assert.DoesNotContain("--dangerously-skip-permissions", args);
    }

    [Fact]
    public void Claude_model_is_passed()
    {
        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--model", "claude-sonnet-4-5", "--permission-mode", "acceptEdits", Prompt],
            Args(new ClaudeCodeProvider(), Invocation(model: "claude-sonnet-4-5")));
    }

    [Fact]
    public void Claude_resume_passes_the_session()
    {
        Assert.Equal(["-p", "--resume", "11111111-2222-4333-8444-555555555555", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits", Prompt],
            Args(new ClaudeCodeProvider(), Invocation(resume: "11111111-2222-4333-8444-555555555555")));
    }

    [Fact]
    public void Claude_presets_the_session_id()
    {
        var provider = new ClaudeCodeProvider();

        Assert.True(provider.PresetsSessionId);
        Assert.Equal(["-p", "--session-id", "22222222-2222-4333-8444-555555555555", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits", Prompt],
            Args(provider, Invocation(preset: "22222222-2222-4333-8444-555555555555")));
    }

    [Fact]
    public void Claude_resume_wins_over_a_preset_session_id()
    {
        var args = Args(new ClaudeCodeProvider(), Invocation(resume: "r1", preset: "p1"));

        Assert.Equal(["-p", "--resume", "r1"], args.Take(3));
        Assert.DoesNotContain("--session-id", args);
        Assert.DoesNotContain("p1", args);
    }

    [Fact]
    public void Claude_prompt_starting_with_a_dash_follows_a_double_dash()
    {
        Assert.Equal(["--permission-mode", "acceptEdits", "--", "-rf everything"], Args(new ClaudeCodeProvider(), Invocation("-rf everything")).TakeLast(4));
    }

    [Fact]
    public void Claude_extra_args_and_env_come_from_settings()
    {
        var settings = new ProviderConfig { Args = ["--max-turns", "3"], Env = new() { ["ANTHROPIC_BASE_URL"] = "http://127.0.0.1:1" } };

        var command = new ClaudeCodeProvider().BuildCommand(Invocation(settings: settings), "/bin/x");

        Assert.Equal(["-p", "--output-format", "stream-json", "--verbose", "--permission-mode", "acceptEdits", "--max-turns", "3", Prompt], command.Arguments);
        Assert.Equal("http://127.0.0.1:1", command.Environment["ANTHROPIC_BASE_URL"]);
    }

    // Codex

    [Fact]
    public void Codex_task_runs_in_the_workspace_write_sandbox()
    {
        Assert.Equal(["exec", "--json", "--sandbox", "workspace-write", Prompt], Args(new CodexProvider(), Invocation()));
    }

    [Fact]
    public void Codex_plan_runs_read_only()
    {
        Assert.Equal(["exec", "--json", "--sandbox", "read-only", Prompt], Args(new CodexProvider(), Invocation(mode: RunMode.Plan)));
    }

    [Fact]
    public void Codex_unrestricted_task_bypasses_approvals_and_sandbox()
    {
        Assert.Equal(["exec", "--json", "--dangerously-bypass-approvals-and-sandbox", Prompt], Args(new CodexProvider(), Invocation(unrestricted: true)));
    }

    [Fact]
    public void Codex_unrestricted_plan_stays_read_only()
    {
        Assert.Equal(["exec", "--json", "--sandbox", "read-only", Prompt], Args(new CodexProvider(), Invocation(mode: RunMode.Plan, unrestricted: true)));
    }

    [Fact]
    public void Codex_model_and_git_check_are_passed()
    {
        Assert.Equal(["exec", "--json", "--sandbox", "workspace-write", "--skip-git-repo-check", "-m", "gpt-5.1-codex", Prompt],
            Args(new CodexProvider(), Invocation(model: "gpt-5.1-codex", inGit: false)));
    }

    [Fact]
    public void Codex_resume_sets_the_sandbox_through_config()
    {
        Assert.Equal(["exec", "resume", "01a20e47-b425-73a2-bbbb-cfd1c9397293", "--json", "-c", "sandbox_mode=\"workspace-write\"", Prompt],
            Args(new CodexProvider(), Invocation(resume: "01a20e47-b425-73a2-bbbb-cfd1c9397293")));
    }

    [Fact]
    public void Codex_resume_in_plan_mode_is_read_only_through_config()
    {
        var args = Args(new CodexProvider(), Invocation(mode: RunMode.Plan, resume: "t1", model: "gpt-5"));

        Assert.Equal(["exec", "resume", "t1", "--json", "-c", "sandbox_mode=\"read-only\"", "-m", "gpt-5", Prompt], args);
        Assert.DoesNotContain("--sandbox", args);
        Assert.DoesNotContain("-C", args);
    }

    [Fact]
    public void Codex_unrestricted_resume_bypasses_approvals_and_sandbox()
    {
        Assert.Equal(["exec", "resume", "t1", "--json", "--dangerously-bypass-approvals-and-sandbox", Prompt],
            Args(new CodexProvider(), Invocation(unrestricted: true, resume: "t1")));
    }

    [Fact]
    public void Codex_cannot_preset_a_session_id()
    {
        var provider = new CodexProvider();

        Assert.False(provider.PresetsSessionId);
        Assert.Equal(Args(provider, Invocation()), Args(provider, Invocation(preset: "p1")));
    }

    [Fact]
    public void Codex_prompt_starting_with_a_dash_follows_a_double_dash()
    {
        Assert.Equal(["workspace-write", "--", "-v please"], Args(new CodexProvider(), Invocation("-v please")).TakeLast(3));
        Assert.Equal(["sandbox_mode=\"workspace-write\"", "--", "-v please"], Args(new CodexProvider(), Invocation("-v please", resume: "t1")).TakeLast(3));
    }

    [Fact]
    public void Codex_long_prompt_is_read_from_standard_input_with_a_dash_argument()
    {
        var command = new CodexProvider().BuildCommand(Invocation(Huge), "/bin/x");

        Assert.Equal(["exec", "--json", "--sandbox", "workspace-write", "-"], command.Arguments);
        Assert.Equal(Huge, command.StandardInput);
    }

    // Gemini CLI

    [Fact]
    public void Gemini_task_auto_edits_and_skips_the_trust_check()
    {
        Assert.Equal(["--output-format", "stream-json", "--approval-mode", "auto_edit", "--skip-trust", "--prompt=" + Prompt], Args(new GeminiCliProvider(), Invocation()));
    }

    [Fact]
    public void Gemini_plan_uses_the_default_read_only_mode()
    {
        Assert.Equal(["--output-format", "stream-json", "--approval-mode", "default", "--skip-trust", "--prompt=" + Prompt],
            Args(new GeminiCliProvider(), Invocation(mode: RunMode.Plan)));
    }

    [Fact]
    public void Gemini_unrestricted_task_is_yolo()
    {
        Assert.Equal(["--output-format", "stream-json", "--approval-mode", "yolo", "--skip-trust", "--prompt=" + Prompt],
            Args(new GeminiCliProvider(), Invocation(unrestricted: true)));
    }

    [Fact]
    public void Gemini_unrestricted_plan_is_not_yolo()
    {
        var args = Args(new GeminiCliProvider(), Invocation(mode: RunMode.Plan, unrestricted: true));

        Assert.Contains("default", args);
        Assert.DoesNotContain("yolo", args);
        Assert.DoesNotContain("--yolo", args);
    }

    [Fact]
    public void Gemini_model_resume_and_preset_session_are_passed()
    {
        var provider = new GeminiCliProvider();

        Assert.True(provider.PresetsSessionId);
        Assert.Equal(["--output-format", "stream-json", "-m", "gemini-2.5-pro", "--approval-mode", "auto_edit", "--skip-trust", "--prompt=" + Prompt],
            Args(provider, Invocation(model: "gemini-2.5-pro")));
        Assert.Equal(["--output-format", "stream-json", "--resume", "s1", "--approval-mode", "auto_edit", "--skip-trust", "--prompt=" + Prompt],
            Args(provider, Invocation(resume: "s1", preset: "p1")));
        Assert.Equal(["--output-format", "stream-json", "--session-id", "p1", "--approval-mode", "auto_edit", "--skip-trust", "--prompt=" + Prompt],
            Args(provider, Invocation(preset: "p1")));
    }

    [Fact]
    public void Gemini_prompt_starting_with_a_dash_is_attached_to_the_prompt_option()
    {
        var args = Args(new GeminiCliProvider(), Invocation("--help me"));

        Assert.Equal("--prompt=--help me", args[^1]);
        Assert.DoesNotContain("--", args);
    }

    [Fact]
    public void Gemini_long_prompt_is_read_from_standard_input()
    {
        var command = new GeminiCliProvider().BuildCommand(Invocation(Huge), "/bin/x");

        Assert.Equal(["--output-format", "stream-json", "--approval-mode", "auto_edit", "--skip-trust"], command.Arguments);
        Assert.Equal(Huge, command.StandardInput);
    }

    // OpenCode

    [Fact]
    public void OpenCode_task_uses_the_build_agent()
    {
        Assert.Equal(["run", "--format", "json", "--agent", "build", Prompt], Args(new OpenCodeProvider(), Invocation()));
    }

    [Fact]
    public void OpenCode_plan_uses_the_plan_agent()
    {
        Assert.Equal(["run", "--format", "json", "--agent", "plan", Prompt], Args(new OpenCodeProvider(), Invocation(mode: RunMode.Plan)));
        Assert.Equal(["run", "--format", "json", "--agent", "plan", Prompt], Args(new OpenCodeProvider(), Invocation(mode: RunMode.Plan, unrestricted: true)));
    }

    [Fact]
    public void OpenCode_unrestricted_task_uses_the_build_agent_with_auto_approval()
    {
        var args = Args(new OpenCodeProvider(), Invocation(unrestricted: true));

        Assert.Equal(["run", "--format", "json"], args.Take(3));
        Assert.Equal(["--agent", "build", "--auto", Prompt], args.TakeLast(4));
        Assert.DoesNotContain("--auto", Args(new OpenCodeProvider(), Invocation()));
    }

    [Fact]
    public void OpenCode_model_and_resume_are_passed()
    {
        Assert.Equal(["run", "--format", "json", "-s", "ses_df1b79641ffeuxXUfe0YysYXHI", "-m", "anthropic/claude-sonnet-4-5", "--agent", "build", Prompt],
            Args(new OpenCodeProvider(), Invocation(model: "anthropic/claude-sonnet-4-5", resume: "ses_df1b79641ffeuxXUfe0YysYXHI")));
    }

    [Fact]
    public void OpenCode_cannot_preset_a_session_id()
    {
        var provider = new OpenCodeProvider();

        Assert.False(provider.PresetsSessionId);
        Assert.Equal(Args(provider, Invocation()), Args(provider, Invocation(preset: "p1")));
    }

    [Fact]
    public void OpenCode_prompt_starting_with_a_dash_follows_a_double_dash()
    {
        Assert.Equal(["build", "--", "-c please"], Args(new OpenCodeProvider(), Invocation("-c please")).TakeLast(3));
    }

    [Fact]
    public void OpenCode_long_prompt_is_read_from_standard_input()
    {
        var command = new OpenCodeProvider().BuildCommand(Invocation(Huge), "/bin/x");

        Assert.Equal(["run", "--format", "json", "--agent", "build"], command.Arguments);
        Assert.Equal(Huge, command.StandardInput);
    }

    // All built-ins

    [Theory]
    [MemberData(nameof(Providers))]
    public void Tricky_prompt_is_one_verbatim_argument(string name)
    {
        var args = Args(Find(name), Invocation(Tricky));

        var expected = name == "gemini-cli" ? "--prompt=" + Tricky : Tricky;
        Assert.Equal(expected, args[^1]);
        Assert.Single(args, a => a.Contains("uname", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Long_prompt_never_appears_in_the_arguments(string name)
    {
        var command = Find(name).BuildCommand(Invocation(Huge), "/bin/x");

        Assert.Equal(Huge, command.StandardInput);
        Assert.DoesNotContain(command.Arguments, a => a.Contains("aaaa", StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Prompt_at_the_argument_limit_is_still_an_argument(string name)
    {
        var prompt = new string('b', AgentProvider.MaxArgumentPromptBytes);

        var command = Find(name).BuildCommand(Invocation(prompt), "/bin/x");

        Assert.Null(command.StandardInput);
        Assert.EndsWith(prompt, command.Arguments[^1], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Prompt_limit_counts_utf8_bytes_not_characters(string name)
    {
        var prompt = new string('é', AgentProvider.MaxArgumentPromptBytes / 2 + 1);

        var command = Find(name).BuildCommand(Invocation(prompt), "/bin/x");

        Assert.Equal(prompt, command.StandardInput);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Full_auto_never_appears(string name)
    {
        var provider = Find(name);
        foreach (var mode in new[] { RunMode.Task, RunMode.Plan })
        foreach (var unrestricted in new[] { false, true })
        foreach (var resume in new[] { null, "s1" })
            Assert.DoesNotContain("--full-auto", Args(provider, Invocation(mode: mode, unrestricted: unrestricted, resume: resume)));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Bypass_flags_appear_only_for_unrestricted_tasks(string name)
    {
        string[] bypass = ["bypassPermissions", "--dangerously-skip-permissions", "--dangerously-bypass-approvals-and-sandbox", "yolo", "--yolo"];
        var provider = Find(name);
        foreach (var mode in new[] { RunMode.Task, RunMode.Plan })
        foreach (var resume in new[] { null, "s1" })
        {
            Assert.DoesNotContain(Args(provider, Invocation(mode: mode, resume: resume)), bypass.Contains);
            if (mode == RunMode.Plan)
                Assert.DoesNotContain(Args(provider, Invocation(mode: mode, unrestricted: true, resume: resume)), bypass.Contains);
        }
    }

    [Theory]
    [InlineData("claude-code", true, "claude --resume s-1")]
    [InlineData("codex", false, "codex resume s-1")]
    [InlineData("gemini-cli", true, "gemini --resume s-1")]
    [InlineData("opencode", false, "opencode --session s-1")]
    public void Built_in_capabilities_and_interactive_resume(string name, bool presets, string resumeCommand)
    {
        var provider = Find(name);

        Assert.Equal(name, provider.Name);
        Assert.Equal(presets, provider.PresetsSessionId);
        Assert.True(provider.CanResume);
        Assert.True(provider.CanPlan);
        Assert.Equal(resumeCommand, provider.InteractiveResumeCommand("s-1"));
        Assert.Equal(resumeCommand, AgentProviders.InteractiveResumeCommand(name, "s-1"));
    }

    [Fact]
    public void Providers_are_found_by_name_or_declared_command()
    {
        var config = new ClimuxConfig
        {
            Providers =
            {
                ["codex"] = new ProviderConfig { Command = "/opt/codex" },
                ["aider"] = new ProviderConfig { Command = "/usr/bin/aider", Args = ["{prompt}"] },
                ["nocommand"] = new ProviderConfig { Model = "m" },
            },
        };

        Assert.IsType<ClaudeCodeProvider>(AgentProviders.Find("Claude-Code", config));
        Assert.IsType<CodexProvider>(AgentProviders.Find("codex", config));
        Assert.Equal("aider", Assert.IsType<CommandProvider>(AgentProviders.Find("AIDER", config)).Name);
        Assert.Null(AgentProviders.Find("nocommand", config));
        Assert.Null(AgentProviders.Find("unknown", config));
        Assert.Null(AgentProviders.InteractiveResumeCommand("codex", null));
        Assert.Null(AgentProviders.InteractiveResumeCommand("aider", "s1"));
    }

    [Fact]
    public void Executable_is_the_configured_command_or_the_usual_name()
    {
        var config = new ClimuxConfig { Providers = { ["codex"] = new ProviderConfig { Command = "/opt/codex" } } };

        Assert.Equal("/opt/codex", AgentProviders.CommandOf("codex", config));
        Assert.Equal("claude", AgentProviders.CommandOf("claude-code", config));
        Assert.Equal("somecli", AgentProviders.CommandOf("somecli", config));
    }
}
