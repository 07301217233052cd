// slowpoetry: the Slow Poetry Server, blocking edition.
//
// Serves one poem, num-bytes at a time with a sleep between chunks, so that
// a poem of a few kilobytes takes seconds to arrive: slow enough to watch
// the clients of Part 4 ("Twisted Poetry") wait, interleave, or block.
//
//   build/slow-server/slowpoetry --port 10000 poetry/ecstasy.txt --num-bytes 30
//
// Port 0 (the default) picks any free port; the first line says which.
// It serves one client at a time on purpose: it is the clients that the
// chapter makes asynchronous, not the server. Stop it with Ctrl-C.
#include "address.hpp"
#include "cli.hpp"
#include "net.hpp"
#include "output.hpp"
#include "stop.hpp"

#include <cxxopts.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iostream>
#include <memory>
#include <string>
#include <vector>

#include <sys/stat.h>

namespace {

const char* const kUsage =
    "The Slow Poetry Server, blocking edition.\n"
    "Serves POETRY_FILE to each client in turn, NUM_BYTES every DELAY seconds.\n"
    "Try it with the chapter's commands:\n"
    "\n"
    "  build/slow-server/slowpoetry --port 10000 poetry/ecstasy.txt --num-bytes 30\n"
    "  build/slow-server/slowpoetry --port 10001 poetry/fascination.txt\n"
    "  build/slow-server/slowpoetry --port 10002 poetry/science.txt\n";

struct Options {
    std::string poetry_file;
    std::string iface = "localhost";
    std::uint16_t port = 0;
    double delay = 0.1;
    std::size_t num_bytes = 10;
};

Options parse_args(int argc, char** argv) {
    cxxopts::Options parser(lab::program_name(), kUsage);
    parser.custom_help("[--port N] [--iface HOST] [--delay SECONDS] [--num-bytes N]");
    parser.positional_help("POETRY_FILE");
    // Values are taken as text and checked by us, so that a typo gets a
    // message naming the option ("--delay must be a number of seconds").
    parser.add_options()
        ("port", "port to listen on (default 0: any free port)", cxxopts::value<std::string>())
        ("iface", "interface to listen on (default localhost)", cxxopts::value<std::string>())
        ("delay", "seconds to sleep after each chunk (default 0.1)", cxxopts::value<std::string>())
        ("num-bytes", "bytes to send per chunk (default 10)", cxxopts::value<std::string>())
        ("h,help", "show this help and exit")
        ("files", "the poem", cxxopts::value<std::vector<std::string>>());
    parser.parse_positional({"files"});
    auto parsed = parser.parse(argc, argv);
    if (parsed.count("help")) {
        std::cout << parser.help() << std::flush;
        std::exit(0);
    }

    Options options;
    if (parsed.count("port"))
        options.port = lab::parse_port(parsed["port"].as<std::string>(), true);
    if (parsed.count("iface")) options.iface = parsed["iface"].as<std::string>();
    if (parsed.count("delay"))
        options.delay = lab::parse_seconds("--delay", parsed["delay"].as<std::string>());
    if (parsed.count("num-bytes"))
        options.num_bytes = lab::parse_count("--num-bytes", parsed["num-bytes"].as<std::string>(), 1);
    std::vector<std::string> files;
    if (parsed.count("files")) files = parsed["files"].as<std::vector<std::string>>();
    if (files.size() != 1) throw lab::Error("Provide exactly one poetry file.");
    options.poetry_file = files.front();
    return options;
}

struct FileCloser {
    void operator()(std::FILE* file) const { std::fclose(file); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;

// Opened once at start to refuse a bad file early, and again for each client.
File open_poem(const std::string& path) {
    File file(std::fopen(path.c_str(), "rb"));
    if (!file) {
        if (errno == ENOENT) throw lab::Error("No such file: " + path);
        throw lab::Error("Cannot read " + path + ": " + std::strerror(errno));
    }
    struct stat info {};
    if (::fstat(::fileno(file.get()), &info) == 0 && S_ISDIR(info.st_mode))
        throw lab::Error(path + " is a directory, not a poetry file");
    return file;
}

// Sleeps `seconds`; false when a stop signal cut the sleep short.
bool sleep_for(double seconds) {
    return lab::wait_for(-1, 0, seconds) != lab::Wait::Stopped;
}

void send_poetry(lab::Socket& sock, const Options& options) {
    File poem = open_poem(options.poetry_file);
    std::vector<char> chunk(options.num_bytes);
    for (;;) {
        std::size_t count = std::fread(chunk.data(), 1, chunk.size(), poem.get());
        if (count == 0) return;  // no more poetry: the caller closes the socket
        if (lab::stop_requested()) break;
        lab::say("Sending ", count, " bytes");
        if (!lab::send_all(sock, chunk.data(), count)) {
            if (lab::stop_requested()) break;
            lab::say("The client left before the end of the poem.");
            return;
        }
        if (!sleep_for(options.delay)) break;
    }
    // Stopped (Ctrl-C): if the poem was not all sent, reset the connection
    // rather than end it cleanly, so the client knows it was cut short.
    if (std::fgetc(poem.get()) != EOF) lab::abort_connection(sock);
}

void serve(const lab::Socket& listener, const Options& options) {
    while (!lab::stop_requested()) {
        lab::Address peer;
        lab::Socket sock = lab::accept_client(listener, peer);
        if (!sock.is_open()) continue;  // a stop signal: the loop condition decides
        lab::say("Somebody at ", lab::format_address(peer), " wants poetry!");
        send_poetry(sock, options);
    }  // each client's socket closes here: end of stream for that client
}

}  // namespace

int main(int argc, char** argv) {
    return lab::run_main(argc, argv, [&] {
        Options options = parse_args(argc, argv);
        open_poem(options.poetry_file);  // refuse a bad file before listening
        lab::catch_stop_signals();
        lab::Listener listener = lab::listen_on(options.iface, options.port, 5);
        lab::say("Serving ", options.poetry_file, " on port ", listener.address.port, ".");
        serve(listener.socket, options);
        return 0;
    });  // Ctrl-C is how a server's day ends: exit status 0
}
