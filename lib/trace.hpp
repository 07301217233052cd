// --trace FILE: a record of the run in the Chrome trace event format, which
// Perfetto (ui.perfetto.dev) and chrome://tracing open.
//
// Two kinds of track:
//   - one per task ("Task 1", ...): a slice per `got` line, from the moment
//     the loop handed us the socket to the moment we had read what was
//     there. The instructor demo (./lab demo --out DIR) draws its timeline
//     from these.
//   - one for the loop itself ("reactor", or "main" in the clients that
//     have none): every callback the reactor makes (doRead, callLater ...)
//     as a slice, and, as instants, every connect, line printed, reader
//     added or removed, timer armed, reset or cancelled. That is what the
//     exercise checker reads to grade what the chapter teaches (was the
//     reactor ever held? did the timeout come from a timer?), not only what
//     was printed.
//
// Events are written as they happen and flushed, so a run that hangs and
// has to be killed still leaves its record up to that moment; a file cut
// short lacks only its closing `]}` (tools/labtrace.py reads both).
#pragma once

#include <cstddef>
#include <initializer_list>
#include <string>
#include <string_view>

namespace lab::trace {

void open(const std::string& path);  // start recording (apply_run_options, on --trace)

// The loop is about to call us (the reactor before doRead, the select loop
// before reading a ready socket, the blocking client before a task): the
// next `got` slice starts here, labelled `name` ("doRead", "read", "get_poetry").
// The blocking client names its `task` too: until that task's slice, every
// time it waits for data (stop.hpp's wait_for) is a `wait` slice on its track.
void callback_started(const char* name, int task = 0);

// A `wait` slice from `since_us` (now_us()) to now on the track of the task
// named by callback_started; nothing when no task is.
void waited(long long since_us);

// A slice [callback_started, now] on task `task`'s track, with `bytes` as
// its argument. say_got (output.hpp) calls it for every `got` line.
void slice(int task, std::size_t bytes);

// One argument of an event: a key and a value already in JSON.
struct Arg {
    Arg(const char* key_, std::string_view text);  // a string, escaped here
    Arg(const char* key_, const char* text) : Arg(key_, std::string_view(text)) {}
    Arg(const char* key_, const std::string& text) : Arg(key_, std::string_view(text)) {}
    Arg(const char* key_, long long number);
    Arg(const char* key_, int number) : Arg(key_, static_cast<long long>(number)) {}
    Arg(const char* key_, std::size_t number) : Arg(key_, static_cast<long long>(number)) {}
    Arg(const char* key_, double seconds);  // printed with microsecond precision
    const char* key;
    std::string json;
};

// On the loop's track: something that happened at one moment.
void instant(const char* name, std::initializer_list<Arg> args = {});
// On the loop's track: a callback begins (nothing else can run until end()).
void begin(const char* name, std::initializer_list<Arg> args = {});
void end();
// On the loop's track: a slice that began at `since_us` (now_us()) and ends now.
void complete(const char* name, long long since_us, std::initializer_list<Arg> args = {});
// Microseconds on the trace's clock; 0 when not recording.
long long now_us();
bool recording();

// The loop's track is called "reactor" once a Reactor exists.
void name_loop_track(const char* name);

// Writes the closing lines. run_main calls it when the program ends,
// however it ends.
void finish();

}  // namespace lab::trace
