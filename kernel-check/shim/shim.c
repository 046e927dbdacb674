/*
 * shim.c - the runtime behind kshim.h: printk, the allocator with fault
 * injection and accounting, the spinlock (a mutex whose holder is an RCU
 * reader), RCU (liburcu "memb", or seq_cst counters that ThreadSanitizer
 * can see), call_rcu/kfree_rcu/rcu_barrier on a reclaimer thread, the
 * CONFIG_PROVE_RCU-style walk check, and the event hook.
 * Written for this project.
 */
#define _GNU_SOURCE
#include "kshim.h"
#include "shim_test.h"

#include <pthread.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>


/* ------------------------------------------------------------------ log */
FILE *shim_log;
static pthread_mutex_t log_mutex = PTHREAD_MUTEX_INITIALIZER;
long shim_warnings, shim_errors, shim_lockdep_splats;

static const char *gfp_name(gfp_t g, char *buf, size_t n)
{
	if (g == GFP_KERNEL) return "GFP_KERNEL";
	if (g == GFP_ATOMIC) return "GFP_ATOMIC";
	if (g == GFP_NOWAIT) return "GFP_NOWAIT";
	snprintf(buf, n, "%#x", g);
	return buf;
}

/* The kernel's vsprintf dialect, enough of it: standard conversions, and
 * %p followed by alphanumerics (a kernel pointer extension; %pGg = gfp
 * flags by name, the others print the pointer). */
static void kvprint(char *out, size_t outn, const char *fmt, va_list ap)
{
	size_t o = 0;
	char spec[32], tmp[256];

	for (const char *f = fmt; *f && o + 1 < outn; ) {
		if (*f != '%') { out[o++] = *f++; continue; }
		if (f[1] == '%') { out[o++] = '%'; f += 2; continue; }
		size_t s = 0;
		spec[s++] = *f++;
		while (*f && strchr("-+ #0", *f) && s < 20) spec[s++] = *f++;
		int star_w = 0, star_p = 0, wv = 0, pv = 0;
		if (*f == '*') { star_w = 1; spec[s++] = *f++; }
		while (*f >= '0' && *f <= '9' && s < 20) spec[s++] = *f++;
		if (*f == '.') {
			spec[s++] = *f++;
			if (*f == '*') { star_p = 1; spec[s++] = *f++; }
			while (*f >= '0' && *f <= '9' && s < 20) spec[s++] = *f++;
		}
		char len[3] = {0};
		int li = 0;
		while (*f && strchr("hlzjtL", *f) && li < 2) { len[li++] = *f; spec[s++] = *f++; }
		char conv = *f ? *f++ : 0;
		spec[s++] = conv;
		spec[s] = 0;
		if (star_w) wv = va_arg(ap, int);
		if (star_p) pv = va_arg(ap, int);
		tmp[0] = 0;
		switch (conv) {
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o': case 'c':
			if (len[0] == 'l' && len[1] == 'l') {
				long long v = va_arg(ap, long long);
				if (star_w && star_p) snprintf(tmp, sizeof tmp, spec, wv, pv, v);
				else if (star_w || star_p) snprintf(tmp, sizeof tmp, spec, star_w ? wv : pv, v);
				else snprintf(tmp, sizeof tmp, spec, v);
			} else if (len[0] == 'l' || len[0] == 'z' || len[0] == 'j' || len[0] == 't') {
				long v = va_arg(ap, long);
				if (star_w && star_p) snprintf(tmp, sizeof tmp, spec, wv, pv, v);
				else if (star_w || star_p) snprintf(tmp, sizeof tmp, spec, star_w ? wv : pv, v);
				else snprintf(tmp, sizeof tmp, spec, v);
			} else {
				int v = va_arg(ap, int);
				if (star_w && star_p) snprintf(tmp, sizeof tmp, spec, wv, pv, v);
				else if (star_w || star_p) snprintf(tmp, sizeof tmp, spec, star_w ? wv : pv, v);
				else snprintf(tmp, sizeof tmp, spec, v);
			}
			break;
		case 's': {
			const char *v = va_arg(ap, const char *);
			if (star_w && star_p) snprintf(tmp, sizeof tmp, spec, wv, pv, v);
			else if (star_w || star_p) snprintf(tmp, sizeof tmp, spec, star_w ? wv : pv, v);
			else snprintf(tmp, sizeof tmp, spec, v ? v : "(null)");
			break;
		}
		case 'p': {
			void *v = va_arg(ap, void *);
			char ext[8] = {0};
			int ei = 0;
			while ((*f >= 'a' && *f <= 'z') || (*f >= 'A' && *f <= 'Z') || (*f >= '0' && *f <= '9')) {
				if (ei < 7) ext[ei++] = *f;
				f++;
			}
			if (ext[0] == 'G' && ext[1] == 'g') {
				char b[32];
				snprintf(tmp, sizeof tmp, "%s", v ? gfp_name(*(gfp_t *)v, b, sizeof b) : "(null)");
			} else {
				snprintf(tmp, sizeof tmp, "%p", v);
			}
			break;
		}
		default:
			snprintf(tmp, sizeof tmp, "%s", spec);
		}
		for (char *t = tmp; *t && o + 1 < outn; t++) out[o++] = *t;
	}
	out[o] = 0;
}

static void emit(const char *line)
{
	pthread_mutex_lock(&log_mutex);
	fputs(line, shim_log ? shim_log : stderr);
	fflush(shim_log ? shim_log : stderr);
	pthread_mutex_unlock(&log_mutex);
}

void shim_printk(const char *level, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	kvprint(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (level[0] <= '3')
		__atomic_add_fetch(&shim_errors, 1, __ATOMIC_SEQ_CST);
	emit(buf);
}

void shim_warn(const char *file, int line, const char *fmt, ...)
{
	char buf[1024], all[1200];
	va_list ap;

	va_start(ap, fmt);
	kvprint(buf, sizeof buf, fmt, ap);
	va_end(ap);
	__atomic_add_fetch(&shim_warnings, 1, __ATOMIC_SEQ_CST);
	snprintf(all, sizeof all, "WARNING: at %s:%d: %s", file, line, buf);
	emit(all);
}

/* ------------------------------------------------------------ allocator */
long shim_alloc_ok, shim_alloc_failed, shim_kfreed, shim_rcu_freed;
__thread int shim_alloc_fail_next;	/* >0: fail the next allocation */
__thread long shim_alloc_attempts;	/* this thread's kmalloc calls */
__thread long shim_alloc_failures;	/* this thread's failed kmalloc calls */
int shim_alloc_fail_permille;		/* random failures (stress) */
static __thread uint64_t rnd_state;

uint64_t shim_rand(void)
{
	if (!rnd_state)
		rnd_state = 0x9E3779B97F4A7C15ull ^ (uint64_t)(uintptr_t)&rnd_state;
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 7;
	rnd_state ^= rnd_state << 17;
	return rnd_state;
}

void shim_seed_thread(uint64_t seed)
{
	rnd_state = seed ? seed : 1;
}

void *shim_kmalloc(size_t size, gfp_t gfp, int zero)
{
	void *p;

	(void)gfp;
	shim_alloc_attempts++;
	if (shim_alloc_fail_next > 0 ||
	    (shim_alloc_fail_permille && (int)(shim_rand() % 1000) < shim_alloc_fail_permille)) {
		if (shim_alloc_fail_next > 0)
			shim_alloc_fail_next--;
		__atomic_add_fetch(&shim_alloc_failed, 1, __ATOMIC_SEQ_CST);
		shim_alloc_failures++;
		shim_event(SHIM_EV_KZALLOC, NULL);
		return NULL;
	}
	p = zero ? calloc(1, size) : malloc(size);
	if (!p)
		abort();
	__atomic_add_fetch(&shim_alloc_ok, 1, __ATOMIC_SEQ_CST);
	shim_event(SHIM_EV_KZALLOC, p);
	return p;
}

void shim_kfree(const void *p)
{
	if (!p)
		return;
	shim_event(SHIM_EV_KFREE, p);
	__atomic_add_fetch(&shim_kfreed, 1, __ATOMIC_SEQ_CST);
	free((void *)p);
}

/* ------------------------------------------------------------------ RCU */
static __thread int rcu_depth;		/* read-side nesting */
static __thread int holds_lock;		/* this thread holds a shim spinlock */

#ifdef SHIM_RCU_COUNTERS
/* Readers announce themselves in a per-thread counter, odd while inside
 * (seq_cst atomics, so ThreadSanitizer sees the reader's unlock happen
 * before the grace period that observes it).  A grace period waits, for
 * every registered thread inside at its start, until that thread's counter
 * has moved on. */
#define MAX_THREADS 128
static long ctr[MAX_THREADS];
static int used[MAX_THREADS];
static __thread int slot = -1;
static pthread_key_t slot_key;
static pthread_once_t slot_once = PTHREAD_ONCE_INIT;

static void slot_release(void *arg)
{
	int s = (int)(intptr_t)arg - 1;
	__atomic_store_n(&used[s], 0, __ATOMIC_SEQ_CST);
}
static void slot_init(void) { pthread_key_create(&slot_key, slot_release); }

static void reg(void)
{
	if (slot >= 0)
		return;
	pthread_once(&slot_once, slot_init);
	for (int s = 0; s < MAX_THREADS; s++) {
		int z = 0;
		if (__atomic_compare_exchange_n(&used[s], &z, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
			slot = s;
			pthread_setspecific(slot_key, (void *)(intptr_t)(s + 1));
			return;
		}
	}
	abort();
}
static void rd_lock(void) { reg(); __atomic_add_fetch(&ctr[slot], 1, __ATOMIC_SEQ_CST); }
static void rd_unlock(void) { __atomic_add_fetch(&ctr[slot], 1, __ATOMIC_SEQ_CST); }
static void do_synchronize(void)
{
	long snap[MAX_THREADS];

	for (int s = 0; s < MAX_THREADS; s++)
		snap[s] = __atomic_load_n(&ctr[s], __ATOMIC_SEQ_CST);
	for (int s = 0; s < MAX_THREADS; s++)
		if (snap[s] & 1)
			while (__atomic_load_n(&ctr[s], __ATOMIC_SEQ_CST) == snap[s])
				sched_yield();
}
/* A grace period that ends at once if no thread is inside now, else fails. */
static int try_synchronize(void)
{
	for (int s = 0; s < MAX_THREADS; s++)
		if (__atomic_load_n(&ctr[s], __ATOMIC_SEQ_CST) & 1)
			return 0;
	return 1;
}
const char *shim_rcu_flavour = "seq_cst counters (ThreadSanitizer-visible)";
#else
/* liburcu "memb" flavour (urcu_backend.c: kept apart because liburcu's
 * struct rcu_head and call_rcu clash with the kernel names shimmed here). */
void shim_urcu_register(void);
void shim_urcu_read_lock(void);
void shim_urcu_read_unlock(void);
void shim_urcu_synchronize(void);
static void reg(void) { shim_urcu_register(); }
static void rd_lock(void) { shim_urcu_register(); shim_urcu_read_lock(); }
static void rd_unlock(void) { shim_urcu_read_unlock(); }
static void do_synchronize(void) { shim_urcu_synchronize(); }
static int try_synchronize(void) { return 0; }
const char *shim_rcu_flavour = "liburcu memb";
#endif

/* Nesting is counted here; the flavour sees the outermost section only. */
void rcu_read_lock(void)
{
	if (rcu_depth++ == 0) {
		rd_lock();
		shim_event(SHIM_EV_RCU_LOCK, NULL);
	}
}

void rcu_read_unlock(void)
{
	if (--rcu_depth == 0) {
		shim_event(SHIM_EV_RCU_UNLOCK, NULL);
		rd_unlock();
	}
}

int rcu_read_lock_held(void) { return rcu_depth > 0; }

void synchronize_rcu(void) { do_synchronize(); }

/* call_rcu: a FIFO of callbacks; the reclaimer thread takes all queued,
 * waits for a grace period, runs them. */
static pthread_mutex_t cb_mutex = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cb_cond = PTHREAD_COND_INITIALIZER;
static pthread_cond_t cb_done_cond = PTHREAD_COND_INITIALIZER;
static struct rcu_head *cb_first, **cb_last = &cb_first;
static long cb_queued, cb_done;
static int reclaimer_started, reclaimer_paused;

static void run_batch(struct rcu_head *h)
{
	while (h) {
		struct rcu_head *n = h->next;
		h->func(h);
		h = n;
	}
}

static void *reclaimer(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&cb_mutex);
		while (!cb_first || reclaimer_paused)
			pthread_cond_wait(&cb_cond, &cb_mutex);
		struct rcu_head *batch = cb_first;
		long upto = cb_queued;
		cb_first = NULL;
		cb_last = &cb_first;
		pthread_mutex_unlock(&cb_mutex);
		do_synchronize();
		run_batch(batch);
		pthread_mutex_lock(&cb_mutex);
		cb_done = upto;
		pthread_cond_broadcast(&cb_done_cond);
		pthread_mutex_unlock(&cb_mutex);
	}
	return NULL;
}

void call_rcu(struct rcu_head *head, void (*func)(struct rcu_head *))
{
	head->func = func;
	head->next = NULL;
	pthread_mutex_lock(&cb_mutex);
	if (!reclaimer_started) {
		pthread_t t;
		pthread_attr_t a;
		pthread_attr_init(&a);
		pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED);
		if (pthread_create(&t, &a, reclaimer, NULL))
			abort();
		reclaimer_started = 1;
	}
	*cb_last = head;
	cb_last = &head->next;
	cb_queued++;
	pthread_cond_signal(&cb_cond);
	pthread_mutex_unlock(&cb_mutex);
}

void rcu_barrier(void)
{
	pthread_mutex_lock(&cb_mutex);
	long target = cb_queued;
	while (cb_done < target)
		pthread_cond_wait(&cb_done_cond, &cb_mutex);
	pthread_mutex_unlock(&cb_mutex);
}

/* Scenarios: hold the reclaimer back, and try a grace period now (runs the
 * queued callbacks in the calling thread if no thread is inside a
 * read-side section; counters flavour only).  Returns callbacks run. */
void shim_reclaimer_pause(int paused)
{
	pthread_mutex_lock(&cb_mutex);
	reclaimer_paused = paused;
	pthread_cond_broadcast(&cb_cond);
	pthread_mutex_unlock(&cb_mutex);
}

int shim_try_reclaim_now(void)
{
	int n = 0;

	pthread_mutex_lock(&cb_mutex);
	if (!try_synchronize()) {
		pthread_mutex_unlock(&cb_mutex);
		return 0;
	}
	struct rcu_head *batch = cb_first;
	long upto = cb_queued;
	cb_first = NULL;
	cb_last = &cb_first;
	for (struct rcu_head *h = batch; h; h = h->next)
		n++;
	run_batch(batch);
	cb_done = upto;
	pthread_cond_broadcast(&cb_done_cond);
	pthread_mutex_unlock(&cb_mutex);
	return n;
}

static void kfree_rcu_cb(struct rcu_head *head)
{
	void *block = (char *)head - head->shim_offset;

	shim_event(SHIM_EV_RCU_CB, block);
	__atomic_add_fetch(&shim_rcu_freed, 1, __ATOMIC_SEQ_CST);
	free(block);
}

void shim_kfree_rcu(struct rcu_head *head, size_t offset)
{
	head->shim_offset = offset;
	shim_event(SHIM_EV_KFREE_RCU, (char *)head - offset);
	call_rcu(head, kfree_rcu_cb);
}

/* ------------------------------------------------------------- spinlock */
static pthread_mutex_t init_mutex = PTHREAD_MUTEX_INITIALIZER;

void shim_spin_lock(spinlock_t *l)
{
	if (!__atomic_load_n(&l->initialised, __ATOMIC_ACQUIRE)) {
		pthread_mutex_lock(&init_mutex);
		if (!l->initialised) {
			pthread_mutex_t *m = malloc(sizeof *m);
			pthread_mutexattr_t a;
			pthread_mutexattr_init(&a);
			pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
			pthread_mutex_init(m, &a);
			l->mutex = m;
			__atomic_store_n(&l->initialised, 1, __ATOMIC_RELEASE);
		}
		pthread_mutex_unlock(&init_mutex);
	}
	if (pthread_mutex_lock(l->mutex))
		abort();	/* recursive locking: a deadlock in the kernel */
	holds_lock++;
#ifndef SHIM_LOCK_NOT_READER
	rcu_read_lock();	/* interrupts disabled = an RCU read-side section */
#endif
	shim_event(SHIM_EV_LOCK, l);
}

void shim_spin_unlock(spinlock_t *l)
{
	shim_event(SHIM_EV_UNLOCK, l);
#ifndef SHIM_LOCK_NOT_READER
	rcu_read_unlock();
#endif
	holds_lock--;
	if (!l->initialised || pthread_mutex_unlock(l->mutex)) {
		shim_warn(__FILE__, __LINE__, "spin_unlock of a lock this thread does not hold\n");
		abort();
	}
}

/* --------------------------------------------------------- walk check */
void shim_check_rcu_walk(void)
{
	if (rcu_depth == 0 && holds_lock == 0) {
		__atomic_add_fetch(&shim_lockdep_splats, 1, __ATOMIC_SEQ_CST);
		shim_warn(__FILE__, __LINE__,
			  "suspicious RCU usage: RCU-list traversed in non-reader section\n");
	}
}

/* ---------------------------------------------------------------- events */
void (*volatile shim_event_hook)(enum shim_event ev, const void *p);

void shim_event(enum shim_event ev, const void *p)
{
	void (*h)(enum shim_event, const void *) = shim_event_hook;

	if (h)
		h(ev, p);
}

void shim_register_thread(void) { reg(); }

/* The trace recorder's mutex (recursive: the recorder's hook takes it too). */
int shim_tracing;
static pthread_mutex_t trace_mutex = PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP;
void shim_trace_begin(void)
{
	if (__atomic_load_n(&shim_tracing, __ATOMIC_RELAXED))
		pthread_mutex_lock(&trace_mutex);
}
__thread void (*shim_after_step)(void);
void shim_trace_end(void)
{
	if (__atomic_load_n(&shim_tracing, __ATOMIC_RELAXED)) {
		pthread_mutex_unlock(&trace_mutex);
		if (shim_after_step)
			shim_after_step();
	}
}
