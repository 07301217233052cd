// --trace FILE: a record of what the reactor and the sockets did, in the
// Chrome trace event format, which Perfetto (ui.perfetto.dev) and
// chrome://tracing open.
//
// Two kinds of track:
//   - one for the loop ("reactor", or "main" in the clients that have
//     none): every callback the reactor makes (doRead, callLater ...) as a
//     slice, the waits between them, and, as instants, readers added and
//     removed, timers armed, moved or cancelled, run and stop;
//   - one per task ("Task 1", ...): its connect, each recv that returned
//     something (with its bytes), and its close.
// What the programs print is not in it: the exercise checker and the demo
// read that from the program's own stdout, as a learner's terminal shows
// it. Event names come from trace_events.def, shared with the Python tools.
//
// Events are written as they happen, one a line, and flushed, so a run
// that hangs and has to be killed still leaves its record up to that
// moment; a file cut short lacks only its closing `]}`.
#pragma once

#include "timedelta.hpp"

#include <cstddef>
#include <cstdio>
#include <initializer_list>
#include <set>
#include <string>
#include <string_view>

namespace lab::trace {

enum class Event {
#define TRACE_EVENT(name, phase, what) name,
#include "trace_events.def"
#undef TRACE_EVENT
};

// The event's name as the record spells it ("doRead").
const char* name_of(Event event);

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

using Args = std::initializer_list<Arg>;

// The record of one run. Made by the run (run.hpp) when --trace is given;
// the reactor's TraceObserver and the sockets write into it.
class Recorder {
public:
    // Opens `path` now, so that a bad path fails before a long run does.
    Recorder(const std::string& path, const std::string& program);
    ~Recorder();  // writes the tracks' names and the closing `]}`
    Recorder(const Recorder&) = delete;
    Recorder& operator=(const Recorder&) = delete;

    // Microseconds since the record began, on its own clock.
    long long now_us() const;

    // On track `track` (0: the loop's, N: Task N's).
    void instant(Event event, int track, Args args = {});
    void begin(Event event, Args args = {});  // a callback on the loop's track ...
    void end();                               // ... and its end
    void complete(Event event, int track, long long since_us, Args args = {});  // [since, now]

    void name_loop_track(const char* name) { loop_name_ = name; }

private:
    void write(const char* phase, const char* name, int track, long long ts, long long duration, Args args);

    std::FILE* out_;
    Clock::time_point epoch_ = Clock::now();
    const char* loop_name_ = "main";
    std::set<int> tasks_;  // the task tracks used, named at the end
};

}  // namespace lab::trace
