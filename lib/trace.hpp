// --trace FILE: a record of the run in the Chrome trace event format, which
// Perfetto (ui.perfetto.dev) and chrome://tracing open. Each `got` line
// becomes a slice on its task's track, from the moment the loop handed us
// the socket to the moment we had read what was there: the instructor demo
// (./lab demo --out DIR) draws its timeline from these files.
#pragma once

#include <cstddef>
#include <string>

namespace lab::trace {

void open(const std::string& path);  // start recording (parse_client_args, on --trace)
bool enabled();

// The loop is about to call us (the reactor before doRead, the select loop
// before reading a ready socket, the blocking client before a task): the
// next slice starts here, labelled `name` ("doRead", "read", "get_poetry").
void callback_started(const char* name);

// A slice [callback_started, now] on task `task`'s track, with `bytes` as
// its argument. say_got (output.hpp) calls it for every `got` line.
void slice(int task, std::size_t bytes);

// Writes the file. run_main calls it when the program ends, however it ends.
void finish();

}  // namespace lab::trace
