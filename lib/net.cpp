#include "net.hpp"

#include "output.hpp"
#include "run.hpp"
#include "stop.hpp"
#include "trace.hpp"

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>
#include <utility>
#include <vector>

#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace lab {

namespace {

struct AddrinfoDeleter {
    void operator()(addrinfo* list) const { freeaddrinfo(list); }
};
using AddrinfoList = std::unique_ptr<addrinfo, AddrinfoDeleter>;

// getaddrinfo; on failure an empty list and the reason in `error`.
AddrinfoList resolve(const std::string& host, std::uint16_t port, int flags, std::string& error) {
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = flags | AI_NUMERICSERV;
    addrinfo* list = nullptr;
    std::string service = std::to_string(port);
    int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &list);
    if (rc != 0) error = rc == EAI_SYSTEM ? std::strerror(errno) : gai_strerror(rc);
    return AddrinfoList(rc == 0 ? list : nullptr);
}

std::string errno_text(int error) { return std::strerror(error); }

// connect(), made the chapter's way (it returns when connected or refused)
// but waiting in ppoll, so that a stop signal or the timeout, when there is
// one, can end the wait: poll for writability, then SO_ERROR says how it
// went. Returns 0 or errno.
int connect_one(const Socket& sock, const addrinfo* ai, std::optional<double> timeout) {
    int flags = ::fcntl(sock.fileno(), F_GETFL);
    if (flags < 0 || ::fcntl(sock.fileno(), F_SETFL, flags | O_NONBLOCK) < 0) return errno;
    int error = ::connect(sock.fileno(), ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : errno;
    if (error == EINPROGRESS || error == EINTR) {
        switch (wait_for(sock.fileno(), POLLOUT, timeout)) {
        case Wait::TimedOut:
            error = ETIMEDOUT;
            break;
        case Wait::Stopped:
            error = EINTR;
            break;
        case Wait::Ready: {
            socklen_t length = sizeof error;
            if (::getsockopt(sock.fileno(), SOL_SOCKET, SO_ERROR, &error, &length) < 0) error = errno;
            break;
        }
        }
    }
    ::fcntl(sock.fileno(), F_SETFL, flags);  // blocking again, as the caller expects
    return error;
}

std::string connect_failure(int error, Run* run) {
    std::string text = errno_text(error);
    if (error == EMFILE || error == ENFILE) {
        if (run) run->let_descriptors_go();
        rlimit limit{};
        getrlimit(RLIMIT_NOFILE, &limit);
        text += " (this process may open " + std::to_string(limit.rlim_cur) +
                " descriptors: one per server, plus a few; raise the hard limit with "
                "`ulimit -Hn` as root, or name fewer servers)";
    }
    return text;
}

Socket connect_any(const Address& address, std::optional<double> timeout) {
    std::string why;
    AddrinfoList list = resolve(address.host, address.port, 0, why);
    if (!list) throw ConnectError(why, "unknown host '" + address.host + "': " + why);
    // One deadline for the whole connect, however many addresses the name has.
    auto start = std::chrono::steady_clock::now();
    int last_error = 0;
    for (addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) {
        std::optional<double> left = timeout;
        if (timeout) {
            left = *timeout - std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
            if (*left <= 0) break;
        }
        Socket sock(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol));
        if (!sock.is_open()) {
            last_error = errno;
            continue;
        }
        last_error = connect_one(sock, ai, left);
        if (last_error == 0) return sock;
        if (stop_requested())  // Ctrl-C while we waited: not the server's fault
            throw Error("interrupted while connecting to " + format_address(address));
    }
    if (last_error == 0) last_error = ETIMEDOUT;
    std::string reason = connect_failure(last_error, address.run.get());
    throw ConnectError(reason, "cannot connect to " + format_address(address) + ": " + reason);
}

Address numeric_address(const sockaddr_storage& storage, socklen_t length) {
    char host[NI_MAXHOST];
    char service[NI_MAXSERV];
    if (getnameinfo(reinterpret_cast<const sockaddr*>(&storage), length, host, sizeof host,
                    service, sizeof service, NI_NUMERICHOST | NI_NUMERICSERV) != 0)
        return Address{"?", 0};
    return Address{host, static_cast<std::uint16_t>(std::atoi(service))};
}

}  // namespace

Socket::Socket(Socket&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), run_(std::move(other.run_)), task_(std::exchange(other.task_, 0)) {}

Socket& Socket::operator=(Socket&& other) noexcept {
    if (this != &other) {
        close();
        fd_ = std::exchange(other.fd_, -1);
        run_ = std::move(other.run_);
        task_ = std::exchange(other.task_, 0);
    }
    return *this;
}

void Socket::close() {
    if (fd_ < 0) return;
    if (run_) run_->closed(task_);
    if (run_ && run_->recorder)
        run_->recorder->instant(trace::Event::close, task_, {trace::Arg("fd", fd_)});
    ::close(fd_);
    fd_ = -1;
}

int Socket::release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
}

Socket connect_to(const Address& address, std::optional<double> timeout) {
    // After Ctrl-C no new poem starts (the blocking client's next task):
    // the run ends, and says what it had.
    if (stop_requested()) throw Interrupted(address.run);
    Run* run = address.run.get();
    int task = run ? run->connecting() : 0;
    trace::Recorder* record = run ? run->recorder.get() : nullptr;
    // The trace keeps each connect as a slice: the timeout exercise's checker
    // asks whether a poem's timer started when its connection was made.
    long long since = record ? record->now_us() : 0;
    try {
        Socket sock = connect_any(address, timeout);
        if (record)
            record->complete(trace::Event::connect, task, since,
                             {trace::Arg("address", format_address(address)), trace::Arg("fd", sock.fileno())});
        sock.run_ = address.run;
        sock.task_ = task;
        return sock;
    } catch (const ConnectError& e) {
        if (record)
            record->complete(trace::Event::connect, task, since,
                             {trace::Arg("address", format_address(address)), trace::Arg("error", e.reason())});
        throw;
    }
}

Socket connect_to(const Address& address) {
    return connect_to(address, address.run ? address.run->connect_timeout : std::nullopt);
}

void set_nonblocking(const Socket& socket) {
    int flags = ::fcntl(socket.fileno(), F_GETFL);
    if (flags < 0 || ::fcntl(socket.fileno(), F_SETFL, flags | O_NONBLOCK) < 0)
        throw Error(std::string("fcntl(O_NONBLOCK) failed: ") + errno_text(errno));
}

Listener listen_on(const std::string& iface, std::uint16_t port, int backlog) {
    std::string why;
    AddrinfoList list = resolve(iface, port, AI_PASSIVE, why);
    if (!list) throw Error("unknown host '" + iface + "': " + why);
    std::vector<addrinfo*> candidates;
    for (addrinfo* ai = list.get(); ai != nullptr; ai = ai->ai_next) candidates.push_back(ai);
    std::stable_partition(candidates.begin(), candidates.end(),
                          [](addrinfo* ai) { return ai->ai_family == AF_INET; });
    int last_error = 0;
    for (addrinfo* ai : candidates) {
        Socket sock(::socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
                             ai->ai_protocol));
        if (!sock.is_open()) {
            last_error = errno;
            continue;
        }
        int on = 1;
        ::setsockopt(sock.fileno(), SOL_SOCKET, SO_REUSEADDR, &on, sizeof on);
        if (::bind(sock.fileno(), ai->ai_addr, ai->ai_addrlen) < 0 ||
            ::listen(sock.fileno(), backlog) < 0) {
            last_error = errno;
            continue;
        }
        sockaddr_storage bound{};
        socklen_t length = sizeof bound;
        ::getsockname(sock.fileno(), reinterpret_cast<sockaddr*>(&bound), &length);
        Address address{iface, ntohs(bound.ss_family == AF_INET6
                                         ? reinterpret_cast<sockaddr_in6*>(&bound)->sin6_port
                                         : reinterpret_cast<sockaddr_in*>(&bound)->sin_port)};
        return Listener{std::move(sock), address};
    }
    throw Error("cannot listen on " + format_address({iface, port}) + ": " +
                errno_text(last_error));
}

Socket accept_client(const Socket& listener, Address& peer) {
    for (;;) {
        // Wait in ppoll, where a stop signal can reach us, not in accept().
        if (wait_for(listener.fileno(), POLLIN, std::nullopt) == Wait::Stopped) return Socket();
        sockaddr_storage storage{};
        socklen_t length = sizeof storage;
        // Non-blocking, so that send_all waits in ppoll too (see stop.hpp).
        int fd = ::accept4(listener.fileno(), reinterpret_cast<sockaddr*>(&storage), &length,
                           SOCK_CLOEXEC | SOCK_NONBLOCK);
        if (fd >= 0) {
            peer = numeric_address(storage, length);
            return Socket(fd);
        }
        // A client that connected and left before we accepted it is its own
        // problem, not the server's: wait for the next one.
        if (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK || errno == ECONNABORTED ||
            errno == EPROTO)
            continue;
        throw Error(std::string("accept failed: ") + errno_text(errno));
    }
}

void abort_connection(Socket& socket) {
    linger reset{1, 0};  // on, zero seconds: close() sends RST
    ::setsockopt(socket.fileno(), SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    socket.close();
}

long raise_descriptor_limit() {
    rlimit limit{};
    if (getrlimit(RLIMIT_NOFILE, &limit) != 0) return -1;
    if (limit.rlim_cur < limit.rlim_max) {
        limit.rlim_cur = limit.rlim_max;
        setrlimit(RLIMIT_NOFILE, &limit);
        getrlimit(RLIMIT_NOFILE, &limit);
    }
    return static_cast<long>(limit.rlim_cur);
}

bool send_all(const Socket& socket, const char* data, std::size_t size) {
    while (size > 0) {
        // MSG_NOSIGNAL: a reader that hung up gives us EPIPE, not SIGPIPE.
        ssize_t sent = ::send(socket.fileno(), data, size, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) continue;
            if (errno != EAGAIN && errno != EWOULDBLOCK) return false;  // EPIPE, ECONNRESET
            // The client's buffers are full: wait until it reads (or we are stopped).
            if (wait_for(socket.fileno(), POLLOUT, std::nullopt) == Wait::Stopped) return false;
            continue;
        }
        data += sent;
        size -= static_cast<std::size_t>(sent);
    }
    return true;
}

ByteBuffer::ByteBuffer(ByteBuffer&& other) noexcept
    : data_(std::exchange(other.data_, nullptr)), size_(std::exchange(other.size_, 0)),
      kept_(std::exchange(other.kept_, 0)), capacity_(std::exchange(other.capacity_, 0)) {}

ByteBuffer& ByteBuffer::operator=(ByteBuffer&& other) noexcept {
    if (this != &other) {
        std::free(data_);
        data_ = std::exchange(other.data_, nullptr);
        size_ = std::exchange(other.size_, 0);
        kept_ = std::exchange(other.kept_, 0);
        capacity_ = std::exchange(other.capacity_, 0);
    }
    return *this;
}

ByteBuffer::~ByteBuffer() { std::free(data_); }

char* ByteBuffer::space(std::size_t minimum, std::size_t& available) {
    if (capacity_ - kept_ < minimum) {
        std::size_t capacity = std::max({capacity_ * 2, kept_ + minimum, std::size_t{64 * 1024}});
        void* grown = std::realloc(data_, capacity);  // new space is not zero-filled: recv fills it
        if (grown == nullptr) throw std::bad_alloc();
        data_ = static_cast<char*>(grown);
        capacity_ = capacity;
    }
    available = capacity_ - kept_;
    return data_ + kept_;
}

void ByteBuffer::commit(std::size_t count, bool keep) {
    size_ += count;
    if (keep) kept_ += count;
}

std::string Received::reason() const {
    return error == EINTR ? "interrupted (Ctrl-C or SIGTERM)" : errno_text(error);
}

namespace {

Received recv_into(const Socket& socket, ByteBuffer& poem, bool keep) {
    // A stop signal that came between two recv calls ends the poem as one
    // that interrupts a recv does.
    if (stop_requested()) return {Received::Failed, 0, EINTR};
    // Ask for whatever room the buffer has (at least 16 KiB): small poems
    // arrive in one call, large ones in few.
    std::size_t available = 0;
    char* space = poem.space(16 * 1024, available);
    ssize_t got = ::recv(socket.fileno(), space, available, 0);
    if (got > 0) {
        poem.commit(static_cast<std::size_t>(got), keep);
        return {Received::Data, static_cast<std::size_t>(got), 0};
    }
    if (got == 0) return {Received::EndOfStream, 0, 0};
    if (errno == EAGAIN || errno == EWOULDBLOCK) return {Received::WouldBlock, 0, 0};
    // EINTR too: the only signals the clients catch are the stop signals,
    // so it means Ctrl-C, and the poem ends here.
    return {Received::Failed, 0, errno};
}

}  // namespace

Received receive(const Socket& socket, ByteBuffer& poem) {
    Run* run = socket.run();
    trace::Recorder* record = run ? run->recorder.get() : nullptr;
    long long since = record ? record->now_us() : 0;
    Received got = recv_into(socket, poem, !(run && run->count_only));
    if (got.kind == Received::EndOfStream && run) run->end_of_stream(socket.task());
    // Each recv that returned something, with how long it took: a long one
    // is a client waiting in recv (the blocking client; the broken one
    // inside its doRead).
    if (record && got.kind != Received::WouldBlock) {
        if (got.kind == Received::Failed)
            record->complete(trace::Event::recv, socket.task(), since,
                             {trace::Arg("fd", socket.fileno()), trace::Arg("error", got.reason())});
        else
            record->complete(trace::Event::recv, socket.task(), since,
                             {trace::Arg("fd", socket.fileno()), trace::Arg("bytes", got.count)});
    }
    return got;
}

std::optional<Address> peer_address(int fd) {
    sockaddr_storage storage{};
    socklen_t length = sizeof storage;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&storage), &length) != 0) return std::nullopt;
    return numeric_address(storage, length);
}

}  // namespace lab
