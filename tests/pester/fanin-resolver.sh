#!/bin/sh
# The fan-in tests' conflict-resolving script agent (a command provider, output: text). It reads
# the conflicted files from Climux's prompt (the "- path" lines after "Conflicted files:") and:
#   keep-both    keeps both sides of every conflict (drops the marker lines) and stages the file
#   leave-marks  stages the files as they are, markers and all (Climux must refuse that)
# It never commits: Climux makes the merge commit.
set -e
how=$1
echo "$2" | sed -n '/^Conflicted files:/,/^$/p' | sed -n 's/^- //p' | while read -r file; do
    if [ "$how" = keep-both ]; then
        sed -i -e '/^<<<<<<< /d' -e '/^||||||| /d' -e '/^=======$/d' -e '/^>>>>>>> /d' "$file"
    fi
    git add -- "$file"
    echo "Resolved $file ($how)"
done
