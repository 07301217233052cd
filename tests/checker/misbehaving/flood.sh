#!/bin/sh
# A learner's program that prints without end: the checker must stop it
# and say so, not fill the memory with its output.
exec yes "Task 1: got 10 bytes of poetry from 127.0.0.1:1"
