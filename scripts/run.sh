#!/usr/bin/env bash
# run.sh builds Herald's local binary and runs it: `make run`.
#
# Ctrl-C in a terminal sends SIGINT to the terminal's foreground process
# group. Run straight from make's recipe, that group holds make as well as
# Herald, and make answers SIGINT by dying of it (exit 130) whatever Herald
# does. So where there is a terminal, Herald runs as a job of its own (job
# control, set -m: its own process group, given the terminal): Ctrl-C
# reaches Herald alone, which shuts down cleanly, and make sees its exit
# status. Ctrl-Z is ignored: it would stop Herald alone, and this script,
# not an interactive shell, would leave it stopped and end.
set -eu
bin=${1:-bin}
echo "building Herald (the first build takes a few minutes)…"
mkdir -p "$bin"
${GO:-go} build -o "$bin/herald-local" ./functions/local
if [ -t 0 ]; then
	set -m
	trap '' TSTP
fi
"$bin/herald-local"
