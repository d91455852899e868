#!/usr/bin/env bash
# Runs every bash block of the README's "The climux command" section as written (lines with watch
# or a push left out) against the fake agents, then checks what each block should leave behind:
# sessions, worktrees, branches, statuses and JSON fields. One test per block and per check.
# Usage: tests/cli/DocumentedBlocks.Tests.sh [climux-folder] [fake-agent] [result.json]
# Prints "N passed, N failed" last; writes {"Passed":N,"Failed":N} to result.json when given.
set -uo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bin=$(cd "${1:-$root/out/bin}" && pwd)
fake=$(cd "$(dirname "${2:-$root/out/fakes/fake-agent}")" && pwd)/$(basename "${2:-$root/out/fakes/fake-agent}")
result=${3:-}
[ -x "$bin/climux" ] || { echo "no climux in $bin (run ./build.ps1 build)" >&2; exit 2; }
[ -x "$fake" ] || { echo "no fake agent at $fake" >&2; exit 2; }
command -v jq >/dev/null || { echo "jq is needed" >&2; exit 2; }

work=$(mktemp -d "${TMPDIR:-/tmp}/climux-blocks-XXXXXX")
trap 'rm -rf "$work"' EXIT
export CLIMUX_HOME="$work/home" NO_COLOR=1 PATH="$bin:$PATH"
mkdir -p "$CLIMUX_HOME" "$work/state" "$work/blocks"
{
  echo "defaultProvider: codex"
  echo "providers:"
  for pair in claude-code:claude codex:codex gemini-cli:gemini opencode:opencode; do
    echo "  ${pair%%:*}:"
    echo "    command: '$fake'"
    echo "    env: { FAKE_AGENT_CLI: ${pair#*:}, FAKE_AGENT_STATE: '$work/state' }"
  done
} > "$CLIMUX_HOME/config.yaml"

repo="$work/repo"
git init -q -b main "$repo"
git -C "$repo" config user.email test@example.invalid
git -C "$repo" config user.name 'Climux Test'
git -C "$repo" config commit.gpgsign false
echo 'test repo' > "$repo/README.md"
git -C "$repo" add -A && git -C "$repo" commit -q -m initial

passed=0 failed=0
ok() { passed=$((passed + 1)); echo "  ok    $1"; }
not_ok() { failed=$((failed + 1)); echo "  FAIL  $1"; }
# check NAME SCRIPT: a check passes when the bash script (run in the repository, pipefail) succeeds.
check() {
  local name=$1; shift
  if (cd "$repo" && bash -o pipefail -c "$1") >/dev/null 2>"$work/check.err"; then ok "$name"; else not_ok "$name"; sed 's/^/        /' "$work/check.err"; fi
}
# worktree_branch NAME BRANCH: a check script that the worktree is on that branch.
worktree_branch() { echo "climux worktree list --format json | jq -e 'any(.[]; .name == \"$1\" and .branch == \"$2\")'"; }

checks_feature_decomposition() {
  check 'feat-backend is on the new branch feature/user-auth' "$(worktree_branch feat-backend feature/user-auth)"
  check 'feat-frontend is on a new branch made from main' "$(worktree_branch feat-frontend feat-frontend)"
  check 'the claude-code run in feat-backend completed' "climux session list --json | jq -e 'any(.[]; .worktree == \"feat-backend\" and .provider == \"claude-code\" and .status == \"Completed\")'"
  check 'the codex run in feat-frontend completed' "climux session list --json | jq -e 'any(.[]; .worktree == \"feat-frontend\" and .provider == \"codex\" and .status == \"Completed\")'"
  check 'status --json | jq .activeSessions printed a number' "grep -Eqx '[0-9]+' '$work/out'"
  check 'stats --by provider lists both providers' "grep -q '^claude-code ' '$work/out' && grep -q '^codex ' '$work/out'"
}

checks_session_chaining() {
  check 'auth.md is the Markdown export of abc123' "head -1 auth.md | grep -q '^# Session '"
  check 'abc123 completed after the session it depends on' "climux session show abc123 --json | jq -e '.status == \"Completed\" and (.dependsOn | length) == 1'"
  check 'the resumed session continues SESSION1 (turn 2)' "climux session list --json | jq -e 'any(.[]; .parentId != null and .prompt == \"Now add an index on email\" and .status == \"Completed\" and (.result | test(\"turn=2\")))'"
  check 'session list --limit 5 printed a table' "grep -q '^ID ' '$work/out'"
}

checks_bug_fix_swarm() {
  check 'three bugfix worktrees' "[ \$(climux worktree list --format names | grep -c '^bugfix-') -eq 3 ]"
  check 'three background runs completed, one per worktree' "[ \$(grep -cE '^bugfix-10[123] [a-z0-9]+ Completed$' '$work/out') -eq 3 ]"
}

checks_fan_in() {
  check 'conflicts --json | jq length printed a number' "grep -Eqx '[0-9]+' '$work/out'"
  check 'the integration worktree exists' "$(worktree_branch integration integration)"
  check 'the bugfix worktrees are deleted' "! climux worktree list --format names | grep -q '^bugfix-'"
  check 'the merge recorded feat-backend as merged' "git for-each-ref refs/climux/merged | grep -q ."
}

# The bash blocks between the markers, one file each.
awk -v dir="$work/blocks" '
  /<!-- documented-blocks:start/ { inside = 1 }
  /<!-- documented-blocks:end/ { inside = 0 }
  inside && /^```bash$/ { n++; file = sprintf("%s/%02d.sh", dir, n); capture = 1; next }
  capture && /^```$/ { capture = 0; close(file); next }
  capture { print > file }
' "$root/README.md"

blocks=("$work"/blocks/*.sh)
[ -e "${blocks[0]}" ] || { echo "no documented blocks found in README.md" >&2; exit 1; }
for block in "${blocks[@]}"; do
  name=$(sed -n 's/^# workflow: //p' "$block" | head -1)
  echo "== $name"
  grep -Ev '(^|[^a-z-])watch |git push|climux worktree publish' "$block" > "$block.run"
  if ! grep -qv '^#' "$block.run"; then echo "  (only lines left out: watch, pushes)"; continue; fi
  if (cd "$repo" && bash -eo pipefail "$block.run") >"$work/out" 2>"$work/err"; then
    ok "block $name runs as written"
  else
    not_ok "block $name runs as written (exit $?)"
    sed 's/^/        /' "$work/err" | tail -20
  fi
  fn="checks_${name//-/_}"
  if declare -F "$fn" >/dev/null; then "$fn"; fi
done

echo "$passed passed, $failed failed"
[ -n "$result" ] && printf '{"Passed":%d,"Failed":%d}\n' "$passed" "$failed" > "$result"
[ "$failed" -eq 0 ]
