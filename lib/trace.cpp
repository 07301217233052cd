#include "trace.hpp"

#include "output.hpp"

#include <chrono>

namespace lab::trace {

namespace {

const char* const kNames[] = {
#define TRACE_EVENT(name, phase, what) #name,
#include "trace_events.def"
#undef TRACE_EVENT
};

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

}  // namespace

const char* name_of(Event event) { return kNames[static_cast<int>(event)]; }

Arg::Arg(const char* key_, std::string_view text) : key(key_), json(escaped(text)) {}
Arg::Arg(const char* key_, long long number) : key(key_), json(std::to_string(number)) {}
Arg::Arg(const char* key_, double seconds) : key(key_) {
    char text[64];
    std::snprintf(text, sizeof text, "%.6f", seconds);
    json = text;
}

Recorder::Recorder(const std::string& path, const std::string& program)
    : out_(std::fopen(path.c_str(), "w")) {
    if (!out_) throw Error("--trace: cannot write " + path);
    // The first event carries where the trace's zero is on the system's
    // monotonic clock (CLOCK_MONOTONIC, Python's time.monotonic()), so that
    // a reader can line the record up with what it saw from outside: the
    // lines the program printed, as they arrived.
    long long epoch_us =
        std::chrono::duration_cast<std::chrono::microseconds>(epoch_.time_since_epoch()).count();
    std::fprintf(out_, "{\"displayTimeUnit\": \"ms\", \"traceEvents\": [\n"
                       "{\"name\": \"%s\", \"ph\": \"M\", \"pid\": 1, \"tid\": 0, "
                       "\"args\": {\"name\": %s, \"monotonic_epoch_us\": %lld}}\n",
                 name_of(Event::process_name), escaped(program).c_str(), epoch_us);
    std::fflush(out_);
}

Recorder::~Recorder() {
    // Perfetto names each track by its thread_name metadata event.
    std::fprintf(out_, ",{\"name\": \"%s\", \"ph\": \"M\", \"pid\": 1, \"tid\": 0, \"args\": {\"name\": \"%s\"}}\n",
                 name_of(Event::thread_name), loop_name_);
    for (int task : tasks_)
        std::fprintf(out_, ",{\"name\": \"%s\", \"ph\": \"M\", \"pid\": 1, \"tid\": %d, "
                           "\"args\": {\"name\": \"Task %d\"}}\n",
                     name_of(Event::thread_name), task, task);
    std::fprintf(out_, "]}\n");
    bool failed = std::ferror(out_) != 0;
    failed = std::fclose(out_) != 0 || failed;
    if (failed) warn(program_name(), ": --trace: could not write the whole trace");
}

long long Recorder::now_us() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - epoch_).count();
}

// One event, one line, flushed: the record survives a kill, and a reader
// following the file (the demo, the checker) sees each event whole.
void Recorder::write(const char* phase, const char* name, int track, long long ts, long long duration, Args args) {
    if (track > 0) tasks_.insert(track);
    std::string line = ",{\"name\": \"" + std::string(name) + "\", \"ph\": \"" + phase +
                       "\", \"pid\": 1, \"tid\": " + std::to_string(track) + ", \"ts\": " + std::to_string(ts);
    if (duration >= 0) line += ", \"dur\": " + std::to_string(duration);
    if (phase[0] == 'i') line += ", \"s\": \"t\"";  // an instant on its own track
    line += ", \"args\": {";
    const char* comma = "";
    for (const Arg& arg : args) {
        line += comma + escaped(arg.key) + ": " + arg.json;
        comma = ", ";
    }
    line += "}}\n";
    std::fwrite(line.data(), 1, line.size(), out_);
    std::fflush(out_);
}

void Recorder::instant(Event event, int track, Args args) { write("i", name_of(event), track, now_us(), -1, args); }
void Recorder::begin(Event event, Args args) { write("B", name_of(event), 0, now_us(), -1, args); }
void Recorder::end() { write("E", "", 0, now_us(), -1, {}); }

void Recorder::complete(Event event, int track, long long since_us, Args args) {
    write("X", name_of(event), track, since_us, now_us() - since_us, args);
}

}  // namespace lab::trace
