// Linux headers that Swift's Glibc module does not cover (epoll, eventfd) and GNU extensions
// it hides (accept4, pthread_setname_np), for the Posix module only.
#ifndef CPOSIX_SHIM_H
#define CPOSIX_SHIM_H
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <pthread.h>
#include <signal.h>

// GNU extensions, declared by glibc only under _GNU_SOURCE; the symbols are always in libc.
extern int accept4(int sockfd, struct sockaddr *addr, socklen_t *addrlen, int flags);
extern int pthread_setname_np(pthread_t thread, const char *name);

static inline int CPosix_accept4(int fd, struct sockaddr *address, socklen_t *length) {
    return accept4(fd, address, length, SOCK_NONBLOCK | SOCK_CLOEXEC);
}

static inline int CPosix_setThreadName(const char *name) {
    return pthread_setname_np(pthread_self(), name);
}

// epoll_event is packed on x86-64; these keep Swift away from its layout.
static inline int CPosix_epollControl(int epfd, int op, int fd, uint32_t events, uint64_t data) {
    struct epoll_event event;
    event.events = events;
    event.data.u64 = data;
    return epoll_ctl(epfd, op, fd, &event);
}
static inline uint32_t CPosix_epollEvents(const struct epoll_event *events, int index) {
    return events[index].events;
}
static inline uint64_t CPosix_epollData(const struct epoll_event *events, int index) {
    return events[index].data.u64;
}
#endif
