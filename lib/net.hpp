// The socket calls the chapter's Python makes in one line each
// (socket.socket + connect, bind + listen, accept, recv, sendall), wrapped so
// that every descriptor is closed by RAII and every failure becomes a
// lab::Error naming the address and the reason.
#pragma once

#include "address.hpp"
#include "output.hpp"
#include "run.hpp"

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

namespace lab {

// Owns one socket descriptor; closes it when it goes out of scope. A
// socket connect_to made also knows its task and its run (run.hpp), for
// what the run records of it (--trace) and counts (a poem that arrived whole).
class Socket {
public:
    Socket() = default;
    explicit Socket(int fd) : fd_(fd) {}
    Socket(Socket&& other) noexcept;
    Socket& operator=(Socket&& other) noexcept;
    Socket(const Socket&) = delete;
    Socket& operator=(const Socket&) = delete;
    ~Socket() { close(); }

    int fileno() const { return fd_; }  // Python's sock.fileno()
    bool is_open() const { return fd_ >= 0; }
    void close();
    int release();
    Run* run() const { return run_.get(); }  // none: not made by connect_to
    int task() const { return task_; }

private:
    friend Socket connect_to(const Address&, std::optional<double>);
    int fd_ = -1;
    std::shared_ptr<Run> run_;
    int task_ = 0;
};

// Why a connect failed: what() is the whole sentence ("cannot connect to
// 127.0.0.1:10000: Connection refused"), reason() just its end, for a
// client that reports the failure in its own words and goes on.
class ConnectError : public Error {
public:
    ConnectError(std::string reason, const std::string& message)
        : Error(message), reason_(std::move(reason)) {}
    const std::string& reason() const { return reason_; }

private:
    std::string reason_;
};

// A plain, blocking connect, like `sock.connect(address)` in the chapter:
// tries each address the host resolves to. Throws ConnectError (refused,
// unknown host, timed out). With a timeout, a connect that has not
// completed by then fails with "Connection timed out"; without one it waits
// as long as the kernel does (about two minutes for an unanswered SYN).
// A connect after Ctrl-C does not start: it throws lab::Interrupted.
Socket connect_to(const Address& address, std::optional<double> timeout);

// The same with the --connect-timeout of the run that named the address.
Socket connect_to(const Address& address);

// The chapter's `sock.setblocking(0)`: from now on recv returns at once.
void set_nonblocking(const Socket& socket);

struct Listener {
    Socket socket;
    Address address;  // with the real port, also when port 0 was asked for
};

// bind + listen with SO_REUSEADDR. IPv4 is preferred when a name has both
// (the chapter's clients connect to 127.0.0.1 when given a bare port).
Listener listen_on(const std::string& iface, std::uint16_t port, int backlog);

// Blocks in accept(). Returns a closed Socket when a signal interrupted it,
// so the caller can look at why (see stop.hpp).
Socket accept_client(const Socket& listener, Address& peer);

// Closes with a reset (RST) instead of an orderly end of stream (FIN), so
// that the client can tell a poem cut short from a poem that ended.
void abort_connection(Socket& socket);

// Raises the soft limit on open descriptors to the hard limit (a client
// with 1,000 servers needs more than the usual 1,024), and returns it.
long raise_descriptor_limit();

// Blocks until every byte is sent. False when the peer has gone away
// (EPIPE, ECONNRESET) or a signal interrupted us: that client is over.
bool send_all(const Socket& socket, const char* data, std::size_t size);

// The poem as it arrives. Grows geometrically without zero-filling the new
// space, so appending stays amortised O(1) per byte even for huge poems
// (the chapter's Python appends bytes to bytes: quadratic on large data).
// It grows with realloc, which moves a large buffer's pages (mremap) rather
// than copying them: a 256 MiB poem needs about 256 MiB, not twice that.
// With --count-only it keeps nothing: size() counts, the space is reused.
class ByteBuffer {
public:
    ByteBuffer() = default;
    ByteBuffer(ByteBuffer&& other) noexcept;
    ByteBuffer& operator=(ByteBuffer&& other) noexcept;
    ByteBuffer(const ByteBuffer&) = delete;
    ByteBuffer& operator=(const ByteBuffer&) = delete;
    ~ByteBuffer();

    std::size_t size() const { return size_; }  // bytes received
    const char* data() const { return data_; }
    // At least `minimum` writable bytes after the data; returns their start.
    char* space(std::size_t minimum, std::size_t& available);
    // `count` bytes were written there: counted, and kept unless `keep` is
    // false (--count-only: the same space serves the next recv).
    void commit(std::size_t count, bool keep = true);

private:
    char* data_ = nullptr;
    std::size_t size_ = 0;
    std::size_t kept_ = 0;
    std::size_t capacity_ = 0;
};

// One recv() into the end of `poem`: what Python's `sock.recv(...)` can
// answer, as a value instead of an exception. It blocks or not as the
// socket does (set_nonblocking). After Ctrl-C it reads no more: Failed,
// "interrupted", as when the signal interrupts a recv that waits.
struct Received {
    enum Kind { Data, EndOfStream, WouldBlock, Failed } kind;
    std::size_t count = 0;  // bytes appended, for Data
    int error = 0;          // errno, for Failed
    std::string reason() const;  // strerror(error)
};
Received receive(const Socket& socket, ByteBuffer& poem);

// The other end of a connected socket, as HOST:PORT parts (none for a
// descriptor that is not a connected socket).
std::optional<Address> peer_address(int fd);

}  // namespace lab
