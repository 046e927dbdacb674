/*
 * stress.c - the kernel's shadow.c under concurrent load, for the
 * sanitizer builds (AddressSanitizer with LeakSanitizer, ThreadSanitizer),
 * with accounting, plus four deterministic scenarios that put a thread at
 * the racy point of the algorithm (ordered by the shim's event hook and
 * semaphores, never by sleeps).
 *
 * Random phase: T threads, each running N/T random operations over 8
 * objects that all hash to ONE bucket of shadow.c's table (so every walk
 * passes other threads' entries) and ids 1, 2 (each object owned by one
 * thread: results checked exactly against the owner's model) and 3 (shared
 * by all: racing allocs, frees and free_alls; results checked for being a
 * constructed variable of the right <obj, id>, read inside the caller's
 * own rcu_read_lock section).  Allocation and constructor failures are
 * injected at random.  Then: every owned key reads the owner's model; for
 * every object, free(obj, 3) leaves get(obj, 3) NULL (no duplicates);
 * free_all of every id; rcu_barrier(); then allocated = kfree + kfree_rcu,
 * constructor successes = variables published = destructor calls =
 * kfree_rcu frees, and no variable destructed twice.
 *
 * Scenarios (each prints PASS or FAIL):
 *   lost-race        getOrAlloc paused after its allocation while alloc of
 *                    the same key completes: the re-check must find it
 *   reader-unlinked  a reader paused on an entry that is freed (and a grace
 *                    period attempted) meanwhile: it must reach the next
 *                    entry and find its key
 *   freeall-reader   free_all tries a grace period right after each
 *                    kfree_rcu: none may end while it holds the lock
 *   ctor-publish     a reader runs while the constructor is running: it
 *                    must not see the variable
 * A grace period can only be "attempted" with the counters flavour
 * (SHIM_RCU_COUNTERS); with liburcu the attempts do nothing.
 *
 * Usage: stress THREADS OPS SEED FAIL_PERMILLE [scenarios|random|both]
 * Written for this project.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <semaphore.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "shim/shim_test.h"
#include <linux/livepatch.h>

#define NOBJ 8
#define CTOR_MARK 0x5ca1ab1eu
#define DEAD_MARK 0xdeadbeefu

struct data { unsigned mark; unsigned pad; void *obj; unsigned long id; };
/* The mark is written by the destructor (under the lock) while readers of
 * shared keys may read it: the API leaves that synchronisation to the
 * caller, so the harness uses relaxed atomics for it. */
#define MARK_LOAD(d) __atomic_load_n(&(d)->mark, __ATOMIC_RELAXED)
#define MARK_STORE(d, v) __atomic_store_n(&(d)->mark, (v), __ATOMIC_RELAXED)

static char objspace[1 << 20];
static void *objs[NOBJ];
static int nthreads;
static long ops_per_thread;
static int fail_permille;
static long errors;
static long ctor_calls, ctor_ok, dtor_calls, dtor_twice;
static uint64_t g_seed;

#define ERR(...) do { \
	if (__atomic_add_fetch(&errors, 1, __ATOMIC_SEQ_CST) <= 20) \
		fprintf(stderr, "stress: ERROR: " __VA_ARGS__); \
	} while (0)

/* per-thread */
static __thread int t_ctor_fail, t_ctor_called, t_ctor_ok, t_dtor_called;
static __thread void *t_dtor_data;

static int ctor(void *obj, void *data, void *arg)
{
	struct data *d = data;
	unsigned long id = (unsigned long)arg;

	__atomic_add_fetch(&ctor_calls, 1, __ATOMIC_SEQ_CST);
	t_ctor_called++;
	if (t_ctor_fail)
		return -ENOMEM;
	d->obj = obj;
	d->id = id;
	MARK_STORE(d, CTOR_MARK);
	__atomic_add_fetch(&ctor_ok, 1, __ATOMIC_SEQ_CST);
	t_ctor_ok++;
	return 0;
}

static void dtor(void *obj, void *data)
{
	struct data *d = data;

	__atomic_add_fetch(&dtor_calls, 1, __ATOMIC_SEQ_CST);
	t_dtor_called++;
	t_dtor_data = data;
	if (MARK_LOAD(d) == DEAD_MARK)
		__atomic_add_fetch(&dtor_twice, 1, __ATOMIC_SEQ_CST);
	else if (MARK_LOAD(d) != CTOR_MARK || d->obj != obj)
		ERR("destructor on data that is not a constructed variable of obj %p\n", obj);
	MARK_STORE(d, DEAD_MARK);
}

static void pick_objects(void)
{
	int n = 0;
	unsigned want = 0;

	for (size_t off = 0; off < sizeof objspace && n < NOBJ; off += 8) {
		void *p = objspace + off;
		if (n == 0)
			want = shim_klp_bucket(p);
		if (shim_klp_bucket(p) == want)
			objs[n++] = p;
	}
	if (n < NOBJ)
		abort();
}

static void check_shared(void *r, void *obj, unsigned long id, const char *what)
{
	struct data *d = r;
	unsigned m = d ? MARK_LOAD(d) : 0;

	/* DEAD_MARK is allowed: a concurrent free may run the destructor on a
	 * variable get has found (Witness_GetReturnsDestructedData); the memory
	 * stays valid until the caller's own read-side section ends. */
	if (d && ((m != CTOR_MARK && m != DEAD_MARK) || d->obj != obj || d->id != id))
		ERR("%s(<%p, %lu>) returned data that is not a constructed variable of that key (mark %#x)\n",
		    what, obj, id, m);
}

static void *worker(void *arg)
{
	long t = (long)arg;
	void *model[NOBJ][3] = {{0}};
	int mine[NOBJ], nmine = 0;

	shim_register_thread();
	shim_seed_thread(g_seed ^ (0x9E3779B97F4A7C15ull * (uint64_t)(t + 1)));
	for (int o = 0; o < NOBJ; o++)
		if (o % nthreads == t)
			mine[nmine++] = o;
	for (long k = 0; k < ops_per_thread; k++) {
		uint64_t r = shim_rand();
		int pct = (int)(r % 100);
		int sh = (int)((r >> 8) % NOBJ);
		int o = nmine ? mine[(r >> 16) % nmine] : 0;
		unsigned long id = 1 + ((r >> 24) & 1);
		t_ctor_fail = fail_permille && (int)((r >> 32) % 1000) < fail_permille;
		t_ctor_called = t_ctor_ok = t_dtor_called = 0;
		t_dtor_data = NULL;
		if (!nmine && pct < 55)
			pct += 45;
		if (pct < 25) {
			void *g = klp_shadow_get(objs[o], id);
			if (g != model[o][id])
				ERR("thread %ld: get(o%d, %lu) = %p, model %p\n", t, o, id, g, model[o][id]);
		} else if (pct < 45) {
			int al = pct < 35;
			long f0 = shim_alloc_failures;
			void *g = al ? klp_shadow_alloc(objs[o], id, sizeof(struct data), GFP_NOWAIT, ctor, (void *)id)
				     : klp_shadow_get_or_alloc(objs[o], id, sizeof(struct data), GFP_NOWAIT, ctor, (void *)id);
			void *had = model[o][id];
			if (had) {
				if (g != (al ? NULL : had) || t_ctor_called)
					ERR("thread %ld: %s(o%d, %lu) on an existing variable returned %p (had %p), ctor calls %d\n",
					    t, al ? "alloc" : "getOrAlloc", o, id, g, had, t_ctor_called);
			} else if (g) {
				if (t_ctor_ok != 1 || MARK_LOAD((struct data *)g) != CTOR_MARK)
					ERR("thread %ld: new variable without exactly one successful constructor\n", t);
				model[o][id] = g;
			} else if (!t_ctor_fail && !t_ctor_called && shim_alloc_failures == f0) {
				ERR("thread %ld: %s(o%d, %lu) returned NULL without a failure\n", t,
				    al ? "alloc" : "getOrAlloc", o, id);
			}
		} else if (pct < 55) {
			klp_shadow_free(objs[o], id, dtor);
			if (t_dtor_called != (model[o][id] != NULL) || (model[o][id] && t_dtor_data != model[o][id]))
				ERR("thread %ld: free(o%d, %lu): %d destructor calls, model %p\n", t, o, id,
				    t_dtor_called, model[o][id]);
			model[o][id] = NULL;
		} else if (pct < 70) {
			rcu_read_lock();
			check_shared(klp_shadow_get(objs[sh], 3), objs[sh], 3, "get");
			rcu_read_unlock();
		} else if (pct < 88) {
			rcu_read_lock();
			void *g = pct < 82 ? klp_shadow_get_or_alloc(objs[sh], 3, sizeof(struct data), GFP_NOWAIT, ctor, (void *)3UL)
					   : klp_shadow_alloc(objs[sh], 3, sizeof(struct data), GFP_NOWAIT, ctor, (void *)3UL);
			check_shared(g, objs[sh], 3, "getOrAlloc/alloc");
			rcu_read_unlock();
		} else if (pct < 98) {
			klp_shadow_free(objs[sh], 3, dtor);
			if (t_dtor_called > 1)
				ERR("thread %ld: free(<%d, 3>) called the destructor %d times\n", t, sh, t_dtor_called);
		} else {
			klp_shadow_free_all(3, dtor);
		}
	}
	/* hand the model over for the final check */
	void **out = malloc(sizeof model);
	memcpy(out, model, sizeof model);
	return out;
}

static int random_phase(long nops, uint64_t seed)
{
	pthread_t th[64];
	void *models[64];
	long allocs0 = shim_alloc_ok, rcu0 = shim_rcu_freed;

	g_seed = seed;
	ops_per_thread = nops / nthreads;
	shim_alloc_fail_permille = fail_permille;
	for (long t = 0; t < nthreads; t++)
		pthread_create(&th[t], NULL, worker, (void *)t);
	for (int t = 0; t < nthreads; t++)
		pthread_join(th[t], &models[t]);
	shim_alloc_fail_permille = 0;
	long dup_keys = 0;
	for (int t = 0; t < nthreads; t++) {
		void *(*m)[3] = models[t];
		for (int o = 0; o < NOBJ; o++)
			for (int id = 1; id <= 2; id++)
				if (o % nthreads == t && klp_shadow_get(objs[o], id) != m[o][id])
					ERR("final: get(o%d, %d) = %p, owner's model %p\n", o, id,
					    klp_shadow_get(objs[o], id), m[o][id]);
		free(models[t]);
	}
	for (int o = 0; o < NOBJ; o++) {
		klp_shadow_free(objs[o], 3, dtor);
		if (klp_shadow_get(objs[o], 3)) {
			dup_keys++;
			ERR("final: <o%d, 3> still present after klp_shadow_free: a duplicate key\n", o);
		}
	}
	for (unsigned long id = 1; id <= 3; id++)
		klp_shadow_free_all(id, dtor);
	for (int o = 0; o < NOBJ; o++)
		for (unsigned long id = 1; id <= 3; id++)
			if (klp_shadow_get(objs[o], id))
				ERR("final: <o%d, %lu> present after klp_shadow_free_all\n", o, id);
	rcu_barrier();
	long allocs = shim_alloc_ok - allocs0;
	if (shim_alloc_ok != shim_kfreed + shim_rcu_freed)
		ERR("accounting: allocated %ld != kfree %ld + kfree_rcu %ld\n", shim_alloc_ok, shim_kfreed, shim_rcu_freed);
	if (ctor_ok != dtor_calls || dtor_calls != shim_rcu_freed - rcu0 || dtor_twice)
		ERR("accounting: constructed %ld, destructed %ld (twice %ld), freed after a grace period %ld\n",
		    ctor_ok, dtor_calls, dtor_twice, shim_rcu_freed - rcu0);
	printf("stress: threads=%d ops=%ld kzalloc=%ld failed=%ld kfree=%ld kfree_rcu=%ld ctor=%ld ctor_ok=%ld dtor=%ld dtor_twice=%ld lockdep=%ld errors=%ld\n",
	       nthreads, ops_per_thread * nthreads, allocs, shim_alloc_failed, shim_kfreed, shim_rcu_freed,
	       ctor_calls, ctor_ok, dtor_calls, dtor_twice, shim_lockdep_splats, errors);
	return errors == 0;
}

/* ------------------------------------------------------------ scenarios */
static sem_t s_a, s_b;
static __thread int role;	/* which scenario step this thread pauses at */
static int scen_fail;
static int reclaimed_meanwhile;

#define SCEN_CHECK(c, ...) do { if (!(c)) { scen_fail++; fprintf(stderr, "stress: scenario FAIL: " __VA_ARGS__); } } while (0)

/* A scenario thread posts s_a at its pause point; if a (broken) shadow.c
 * never reaches that point, the thread posts it when its call returns, so
 * that the scenario fails instead of hanging. */
static __thread int posted;
static void pause_here(void)
{
	posted = 1;
	sem_post(&s_a);
	sem_wait(&s_b);
}
static void unblock(void)
{
	if (!posted)
		sem_post(&s_a);
	posted = 0;
}

static void hook(enum shim_event ev, const void *p)
{
	(void)p;
	if (role == 1 && ev == SHIM_EV_KZALLOC) {		/* lost-race: A allocated */
		role = 0;
		pause_here();
	} else if (role == 2 && ev == SHIM_EV_WALK_RCU) {	/* reader on the first entry */
		role = 0;
		pause_here();
	} else if (role == 3 && ev == SHIM_EV_KFREE_RCU) {	/* free_all after kfree_rcu */
		reclaimed_meanwhile += shim_try_reclaim_now();
	}
}

static int ctor_pausing(void *obj, void *data, void *arg)
{
	(void)arg;
	((struct data *)data)->obj = obj;
	pause_here();		/* in the constructor, under the lock, until the reader has looked */
	((struct data *)data)->mark = CTOR_MARK;
	return 0;
}
static int ctor_plain(void *obj, void *data, void *arg)
{
	((struct data *)data)->obj = obj;
	((struct data *)data)->id = (unsigned long)arg;
	((struct data *)data)->mark = CTOR_MARK;
	return 0;
}
static void dtor_plain(void *obj, void *data) { (void)obj; (void)data; }

static void *lost_race_a(void *arg)
{
	shim_register_thread();
	role = 1;
	void *r = klp_shadow_get_or_alloc(objs[0], 1, sizeof(struct data), GFP_NOWAIT, ctor_plain, arg);
	role = 0;
	unblock();
	return r;
}
static void *reader_r(void *arg)
{
	(void)arg;
	shim_register_thread();
	role = 2;
	void *r = klp_shadow_get(objs[0], 1);
	role = 0;
	unblock();
	return r;
}
static void *alloc_pausing(void *arg)
{
	(void)arg;
	shim_register_thread();
	void *r = klp_shadow_alloc(objs[0], 1, sizeof(struct data), GFP_NOWAIT, ctor_pausing, NULL);
	unblock();
	return r;
}

/* In the scenarios the reclaimer thread is held back: a grace period ends
 * only where a scenario attempts one (shim_try_reclaim_now) or at a barrier. */
static void scen_barrier(void)
{
	shim_reclaimer_pause(0);
	rcu_barrier();
	shim_reclaimer_pause(1);
}

static void scenarios(void)
{
	pthread_t a;
	void *ra, *rb, *o1d, *o2d;

	sem_init(&s_a, 0, 0);
	sem_init(&s_b, 0, 0);
	shim_event_hook = hook;
	shim_reclaimer_pause(1);
	long k0 = shim_kfreed;

	/* lost-race */
	pthread_create(&a, NULL, lost_race_a, (void *)1UL);
	sem_wait(&s_a);
	rb = klp_shadow_alloc(objs[0], 1, sizeof(struct data), GFP_NOWAIT, ctor_plain, (void *)1UL);
	sem_post(&s_b);
	pthread_join(a, &ra);
	SCEN_CHECK(rb && ra == rb, "lost-race: getOrAlloc returned %p, the winner's variable is %p\n", ra, rb);
	SCEN_CHECK(shim_kfreed == k0 + 1, "lost-race: the speculative entry was not kfree'd (%ld kfree)\n", shim_kfreed - k0);
	klp_shadow_free_all(1, dtor_plain);
	SCEN_CHECK(!klp_shadow_get(objs[0], 1), "lost-race: a duplicate <obj, id> remained after free_all\n");
	scen_barrier();
	printf("stress: scenario lost-race %s\n", scen_fail ? "FAIL" : "PASS");

	/* reader-unlinked: bucket order o1's entry first, then o0's */
	int f0 = scen_fail;
	sem_init(&s_a, 0, 0);
	sem_init(&s_b, 0, 0);
	o1d = klp_shadow_alloc(objs[0], 1, sizeof(struct data), GFP_NOWAIT, ctor_plain, (void *)1UL);
	o2d = klp_shadow_alloc(objs[1], 1, sizeof(struct data), GFP_NOWAIT, ctor_plain, (void *)1UL);
	pthread_create(&a, NULL, reader_r, NULL);
	sem_wait(&s_a);		/* the reader stands on <o1, 1>'s entry */
	klp_shadow_free(objs[1], 1, dtor_plain);
	int early = shim_try_reclaim_now();	/* a grace period may not end now */
	sem_post(&s_b);
	pthread_join(a, &ra);
	SCEN_CHECK(ra == o1d, "reader-unlinked: the reader got %p, expected %p (the entry after the unlinked one)\n", ra, o1d);
	SCEN_CHECK(early == 0, "reader-unlinked: %d entries reclaimed while a reader stood on one\n", early);
	klp_shadow_free_all(1, dtor_plain);
	scen_barrier();
	(void)o2d;
	printf("stress: scenario reader-unlinked %s\n", scen_fail > f0 ? "FAIL" : "PASS");

	/* freeall-reader: free_all tries a grace period after each kfree_rcu */
	f0 = scen_fail;
	klp_shadow_alloc(objs[0], 1, sizeof(struct data), GFP_NOWAIT, ctor_plain, (void *)1UL);
	klp_shadow_alloc(objs[1], 1, sizeof(struct data), GFP_NOWAIT, ctor_plain, (void *)1UL);
	klp_shadow_alloc(objs[2], 1, sizeof(struct data), GFP_NOWAIT, ctor_plain, (void *)1UL);
	reclaimed_meanwhile = 0;
	role = 3;
	klp_shadow_free_all(1, dtor_plain);
	role = 0;
	SCEN_CHECK(reclaimed_meanwhile == 0, "freeall-reader: %d entries reclaimed while free_all held the lock\n",
		   reclaimed_meanwhile);
	for (int o = 0; o < 3; o++)
		SCEN_CHECK(!klp_shadow_get(objs[o], 1), "freeall-reader: <o%d, 1> left after free_all\n", o);
	scen_barrier();
	printf("stress: scenario freeall-reader %s\n", scen_fail > f0 ? "FAIL" : "PASS");

	/* ctor-publish: a reader while the constructor runs */
	f0 = scen_fail;
	sem_init(&s_a, 0, 0);
	sem_init(&s_b, 0, 0);
	pthread_create(&a, NULL, alloc_pausing, NULL);
	sem_wait(&s_a);
	rb = klp_shadow_get(objs[0], 1);
	SCEN_CHECK(rb == NULL, "ctor-publish: a reader saw the variable while its constructor ran (mark %#x)\n",
		   rb ? MARK_LOAD((struct data *)rb) : 0);
	sem_post(&s_b);
	pthread_join(a, &ra);
	klp_shadow_free_all(1, dtor_plain);
	scen_barrier();
	printf("stress: scenario ctor-publish %s\n", scen_fail > f0 ? "FAIL" : "PASS");
	shim_event_hook = NULL;
	shim_reclaimer_pause(0);
	rcu_barrier();
	if (shim_alloc_ok != shim_kfreed + shim_rcu_freed)
		SCEN_CHECK(0, "scenarios: accounting: allocated %ld != kfree %ld + kfree_rcu %ld\n",
			   shim_alloc_ok, shim_kfreed, shim_rcu_freed);
	printf("stress: scenarios=4 failures=%d lockdep=%ld\n", scen_fail, shim_lockdep_splats);
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: stress THREADS OPS SEED FAIL_PERMILLE [scenarios|random|both]\n");
		return 2;
	}
	nthreads = atoi(argv[1]);
	long nops = atol(argv[2]);
	uint64_t seed = strtoull(argv[3], NULL, 0);
	fail_permille = atoi(argv[4]);
	const char *what = argc > 5 ? argv[5] : "both";
	if (nthreads < 1 || nthreads > 64)
		return 2;
	shim_log = fopen("/dev/null", "w");
	shim_register_thread();
	pick_objects();
	printf("stress: seed=%llu rcu=%s\n", (unsigned long long)seed, shim_rcu_flavour);
	if (strcmp(what, "random"))
		scenarios();
	if (strcmp(what, "scenarios")) {
		/* per-thread seeds derive from the seed */
		random_phase(nops, seed);
	}
	long bad = errors + scen_fail + shim_lockdep_splats;
	printf("stress: result %s\n", bad ? "FAIL" : "PASS");
	return bad ? 1 : 0;
}
