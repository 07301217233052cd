#include "trace.hpp"

#include "output.hpp"
#include "timedelta.hpp"

#include <chrono>
#include <cstdio>
#include <set>
#include <vector>

namespace lab::trace {

namespace {

struct Recorder {
    std::FILE* out = nullptr;
    Clock::time_point epoch = Clock::now();
    Clock::time_point callback_start = Clock::now();
    const char* callback_name = "read";
    const char* loop_name = "main";
    int current_task = 0;  // the blocking client's task being fetched
    std::set<int> tasks;  // the task tracks used, named at the end
};

Recorder* g_recorder = nullptr;

long long micros_since(Clock::time_point epoch, Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - epoch).count();
}

std::string escaped(std::string_view text) {
    std::string json = "\"";
    for (char c : text) {
        auto byte = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            json += '\\';
            json += c;
        } else if (byte < 0x20) {
            char code[8];
            std::snprintf(code, sizeof code, "\\u%04x", byte);
            json += code;
        } else {
            json += c;
        }
    }
    return json + "\"";
}

// One event, one line, flushed: the record survives a kill.
void write_event(const char* ph, const char* name, int tid, long long ts, long long dur,
                 std::initializer_list<Arg> args) {
    Recorder& r = *g_recorder;
    // Each event is one line, ended at once ("\n" after, the comma before
    // the next one's), so a reader following the file sees it whole.
    std::string line = ",{\"name\": " + escaped(name) + ", \"ph\": \"" + ph +
                       "\", \"pid\": 1, \"tid\": " + std::to_string(tid) +
                       ", \"ts\": " + std::to_string(ts);
    if (dur >= 0) line += ", \"dur\": " + std::to_string(dur);
    if (ph[0] == 'i') line += ", \"s\": \"t\"";  // an instant on its own track
    line += ", \"args\": {";
    const char* comma = "";
    for (const Arg& arg : args) {
        line += comma + escaped(arg.key) + ": " + arg.json;
        comma = ", ";
    }
    line += "}}\n";
    std::fwrite(line.data(), 1, line.size(), r.out);
    std::fflush(r.out);
}

}  // namespace

Arg::Arg(const char* key_, std::string_view text) : key(key_), json(escaped(text)) {}
Arg::Arg(const char* key_, long long number) : key(key_), json(std::to_string(number)) {}
Arg::Arg(const char* key_, double seconds) : key(key_) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6f", seconds);
    json = text;
}

void open(const std::string& path) {
    // Fail now, not after a long run: the file must be writable.
    std::FILE* out = std::fopen(path.c_str(), "w");
    if (!out) throw Error("--trace: cannot write " + path);
    static Recorder recorder;
    recorder.out = out;
    recorder.epoch = Clock::now();
    g_recorder = &recorder;
    // The first event carries where the trace's zero is on the system's
    // monotonic clock (CLOCK_MONOTONIC, Python's time.monotonic()), so a
    // test can line the trace up with what it saw from outside.
    long long epoch_us = std::chrono::duration_cast<std::chrono::microseconds>(
                             recorder.epoch.time_since_epoch()).count();
    std::fprintf(out, "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n"
                      "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 0, "
                      "\"args\": {\"name\": %s, \"monotonic_epoch_us\": %lld}}\n",
                 escaped(program_name()).c_str(), epoch_us);
    std::fflush(out);
}

bool recording() { return g_recorder != nullptr; }

long long now_us() { return g_recorder ? micros_since(g_recorder->epoch, Clock::now()) : 0; }

void callback_started(const char* name, int task) {
    if (!g_recorder) return;
    g_recorder->callback_start = Clock::now();
    g_recorder->callback_name = name;
    g_recorder->current_task = task;
}

void waited(long long since_us) {
    if (!g_recorder || g_recorder->current_task == 0) return;
    g_recorder->tasks.insert(g_recorder->current_task);
    write_event("X", "wait", g_recorder->current_task, since_us, now_us() - since_us, {});
}

void slice(int task, std::size_t bytes) {
    if (!g_recorder) return;
    Recorder& r = *g_recorder;
    long long start = micros_since(r.epoch, r.callback_start);
    r.tasks.insert(task);
    r.current_task = 0;
    write_event("X", r.callback_name, task, start, now_us() - start, {Arg("bytes", bytes)});
}

void instant(const char* name, std::initializer_list<Arg> args) {
    if (g_recorder) write_event("i", name, 0, now_us(), -1, args);
}

void begin(const char* name, std::initializer_list<Arg> args) {
    if (g_recorder) write_event("B", name, 0, now_us(), -1, args);
}

void end() {
    if (g_recorder) write_event("E", "", 0, now_us(), -1, {});
}

void complete(const char* name, long long since_us, std::initializer_list<Arg> args) {
    if (g_recorder) write_event("X", name, 0, since_us, now_us() - since_us, args);
}

void name_loop_track(const char* name) {
    if (g_recorder) g_recorder->loop_name = name;
}

void finish() {
    if (!g_recorder) return;
    Recorder& r = *g_recorder;
    // Perfetto names each track by its thread_name metadata event.
    std::fprintf(r.out, ",{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 0, "
                        "\"args\": {\"name\": \"%s\"}}\n",
                 r.loop_name);
    for (int task : r.tasks)
        std::fprintf(r.out, ",{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": %d, "
                            "\"args\": {\"name\": \"Task %d\"}}\n",
                     task, task);
    std::fprintf(r.out, "]}\n");
    bool failed = std::ferror(r.out) != 0;
    failed = std::fclose(r.out) != 0 || failed;
    g_recorder = nullptr;
    if (failed) warn(program_name(), ": --trace: could not write the whole trace");
}

}  // namespace lab::trace
