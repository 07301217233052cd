#!/bin/sh
# A learner's program that hangs and ignores SIGTERM, and so does a child
# of its own: the checker must still end both, in bounded time.
trap '' TERM
sleep 1000 &
echo "Task 1: got 10 bytes of poetry from 127.0.0.1:1"
wait
