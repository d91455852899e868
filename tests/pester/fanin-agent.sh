#!/bin/sh
# The fan-in tests' script agent (a command provider, output: text). Each ';'-separated
# instruction of its prompt is carried out in its folder, then everything is committed:
#   line <file> <n> <text>   replace line n of the file with text (no spaces)
#   write <file> <text>      write the file with text (no spaces)
#   append <file> <other>    append the other file's text to the file (fails when it is missing)
set -e
echo "$1" | tr ';' '\n' | while read -r verb file a b; do
    case "$verb" in
        line) sed -i "${a}s/.*/${b}/" "$file" ;;
        write) mkdir -p "$(dirname "$file")"; echo "$a" > "$file" ;;
        append) cat "$a" >> "$file" ;;
    esac
done
git add -A
git -c user.name='Script agent' -c user.email=agent@example.invalid commit -q -m "$1"
echo "Done: $1"
