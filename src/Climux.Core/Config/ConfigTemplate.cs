namespace Climux.Core.Config;

/// <summary>The commented starter files that Initialize-ClimuxConfig writes.</summary>
public static class ConfigTemplate
{
    public static string For(ConfigScope scope) => scope == ConfigScope.Project ? Project : User;

    // The user file spells out the defaults, so Set-ClimuxConfig edits values in place.
    private const string User = """
        # Climux user configuration ($CLIMUX_HOME/config.yaml).
        # A project's .climux/config.yaml overrides these settings key by key.
        # Keys are camelCase; an unknown key is an error. See: Get-Help about_Climux

        defaultProvider: claude-code      # claude-code, codex, gemini-cli, opencode, qwen-code, or one declared below

        concurrency:
          maxActiveSessions: 5            # running sessions at once on this machine, across every process
          maxSessionsPerWorkspace: 3      # running sessions at once in one repository (all its worktrees)

        monitoring:
          maxDailyBudget: 0               # USD per local day; 0 = no budget
          alertThreshold: 0.8             # warn once this fraction of the budget is spent
          maxTranscriptMiB: 16            # transcript stored per session; the raw log in logs/ keeps more

        # providers:
        #   claude-code: { model: claude-sonnet-4-5 }
        #   codex: { command: /opt/codex/bin/codex, args: ["-c", "model_reasoning_effort=high"] }
        #   my-agent: { command: aider, args: ["--yes", "--message", "{prompt}"], output: text }

        # pricing:                        # USD per million tokens; overrides the built-in table
        #   my-model: { input: 3.0, output: 15.0, cacheRead: 0.3, cacheWrite: 3.75 }

        worktrees:
          copy: [".env"]                  # untracked files copied into every new worktree
          enforceNaming: false            # warn on names outside feature-, bugfix-, refactor-, experiment-, hotfix-
          # root: ~/worktrees             # default: worktrees/ under CLIMUX_HOME

        """;

    // Every project setting overrides the user's, so the project file starts with none set.
    private const string Project = """
        # Climux project configuration (.climux/config.yaml at the repository's top level).
        # Each key set here overrides the same key of the user's config.yaml; leave out what you
        # do not mean to override. Keys are camelCase; an unknown key is an error.
        # The concurrency limits and monitoring.maxDailyBudget can only be lowered here; providers'
        # command/args/env, pricing, alertThreshold and worktrees.root belong to the user's config.

        # defaultProvider: codex

        # concurrency:
        #   maxSessionsPerWorkspace: 2

        # providers:
        #   claude-code: { model: claude-sonnet-4-5 }

        # worktrees:
        #   copy: [".env", ".env.local"]
        #   enforceNaming: true

        """;
}
