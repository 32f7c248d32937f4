/*
 * The C pthread lock+unlock pair as a function, so that a JVM can time it interleaved with its
 * own operations (RatioHarness): n pairs on the mutex at m, returning how many calls failed.
 * Built with gcc -O2 -shared -fPIC at run time.
 */
#include <pthread.h>

long ipcarc_pair_loop(pthread_mutex_t *m, long n) {
    long failed = 0;
    for (long i = 0; i < n; i++) {
        failed += pthread_mutex_lock(m) != 0;
        failed += pthread_mutex_unlock(m) != 0;
    }
    return failed;
}
