#include "trace.hpp"

#include "output.hpp"
#include "timedelta.hpp"

#include <chrono>
#include <cstdio>
#include <set>
#include <vector>

namespace lab::trace {

namespace {

struct Slice {
    int task;
    long long start_us;
    long long duration_us;
    std::size_t bytes;
    const char* name;
};

struct Recorder {
    std::string path;
    Clock::time_point epoch = Clock::now();
    Clock::time_point callback_start = Clock::now();
    const char* callback_name = "read";
    std::vector<Slice> slices;
};

Recorder* g_recorder = nullptr;

long long micros_since(Clock::time_point epoch, Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::microseconds>(t - epoch).count();
}

}  // namespace

void open(const std::string& path) {
    // Fail now, not after a long run: the file must be writable.
    std::FILE* probe = std::fopen(path.c_str(), "w");
    if (!probe) throw Error("--trace: cannot write " + path);
    std::fclose(probe);
    static Recorder recorder;
    recorder.path = path;
    g_recorder = &recorder;
}

bool enabled() { return g_recorder != nullptr; }

void callback_started(const char* name) {
    if (!g_recorder) return;
    g_recorder->callback_start = Clock::now();
    g_recorder->callback_name = name;
}

void slice(int task, std::size_t bytes) {
    if (!g_recorder) return;
    auto now = Clock::now();
    long long start = micros_since(g_recorder->epoch, g_recorder->callback_start);
    g_recorder->slices.push_back(
        {task, start, micros_since(g_recorder->epoch, now) - start, bytes, g_recorder->callback_name});
}

void finish() {
    if (!g_recorder) return;
    Recorder& r = *g_recorder;
    g_recorder = nullptr;
    std::FILE* out = std::fopen(r.path.c_str(), "w");
    if (!out) {
        warn(program_name(), ": --trace: cannot write ", r.path);
        return;
    }
    // One process (the client), one "thread" per task: Perfetto shows each
    // task as a track named by its thread_name metadata event.
    std::fprintf(out, "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n");
    std::fprintf(out, "{\"name\": \"process_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": 0, "
                      "\"args\": {\"name\": \"%s\"}}",
                 program_name().c_str());
    std::set<int> tasks;
    for (const Slice& s : r.slices) tasks.insert(s.task);
    for (int task : tasks)
        std::fprintf(out, ",\n{\"name\": \"thread_name\", \"ph\": \"M\", \"pid\": 1, \"tid\": %d, "
                          "\"args\": {\"name\": \"Task %d\"}}",
                     task, task);
    for (const Slice& s : r.slices)
        std::fprintf(out, ",\n{\"name\": \"%s\", \"cat\": \"poetry\", \"ph\": \"X\", \"pid\": 1, "
                          "\"tid\": %d, \"ts\": %lld, \"dur\": %lld, \"args\": {\"bytes\": %zu}}",
                     s.name, s.task, s.start_us, s.duration_us, s.bytes);
    std::fprintf(out, "\n]}\n");
    std::fclose(out);
}

}  // namespace lab::trace
