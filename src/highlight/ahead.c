/* Highlighting ahead (#10, #14): see hl.h, hl_ahead. */
#include "hl.h"
#include "../util/xalloc.h"
#include <libxml/parser.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    char *info, *text;
    size_t len;
} item_t;

static struct {
    pthread_mutex_t mu;
    pthread_cond_t more;
    pthread_t thread;
    bool running, closed;
    item_t *v;
    size_t n, cap, next;
} q = {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER};

/* Classes each queued block into the memo (hl.c), in order, until the queue is
   closed and empty. */
static void *run(void *arg) {
    (void)arg;
    pthread_mutex_lock(&q.mu);
    for (;;) {
        while (q.next == q.n && !q.closed)
            pthread_cond_wait(&q.more, &q.mu);
        if (q.next == q.n) break;
        item_t it = q.v[q.next++];
        pthread_mutex_unlock(&q.mu);
        const char *lang = hl_language(it.info, NULL);
        if (lang) {
            unsigned char *cls = xmalloc(it.len + 1);
            hl_highlight(lang, it.text, it.len, cls);
            free(cls);
        }
        free(it.info), free(it.text);
        pthread_mutex_lock(&q.mu);
    }
    pthread_mutex_unlock(&q.mu);
    return NULL;
}

void hl_ahead(const char *info, const char *text, size_t len) {
    pthread_mutex_lock(&q.mu);
    if (!q.running && !q.closed) {
        xmlInitParser(); /* the thread reads .lang files while the loader parses HTML */
        q.running = pthread_create(&q.thread, NULL, run, NULL) == 0;
    }
    if (q.running && !q.closed) {
        XGROW(q.v, q.cap, q.n);
        q.v[q.n++] = (item_t){xstrdup(info ? info : ""), xstrndup(text, len), len};
        pthread_cond_signal(&q.more);
    }
    pthread_mutex_unlock(&q.mu);
}

void hl_ahead_done(void) {
    pthread_mutex_lock(&q.mu);
    q.closed = true;
    pthread_cond_signal(&q.more);
    pthread_mutex_unlock(&q.mu);
}

void hl_ahead_join(void) {
    hl_ahead_done();
    if (q.running) pthread_join(q.thread, NULL);
    for (size_t i = q.next; i < q.n; i++)
        free(q.v[i].info), free(q.v[i].text);
    free(q.v);
    q.v = NULL;
    q.n = q.cap = q.next = 0;
    q.running = q.closed = false;
}
