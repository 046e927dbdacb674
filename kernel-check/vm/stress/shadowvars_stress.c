// SPDX-License-Identifier: GPL-2.0-only
/*
 * shadowvars_stress - concurrent stress of the kernel's livepatch shadow variables
 * (kernel/livepatch/shadow.c) in a running debug kernel, recording a history of every call.
 *
 * Part of the shadowvars project's VM check (kernel-check/vm/, issue 22). This file is the one
 * GPL-2.0-only file of the repository: it is a kernel module and uses the kernel's GPL-only
 * exports (klp_shadow_*, debugfs_create_*, ktime_get: README.md, "Licences"). The rest of the
 * repository is under the Apache License 2.0.
 *
 * A round: one kthread bound to each online CPU (at most MAX_THREADS) runs `ops` random calls of
 * klp_shadow_get, _alloc, _get_or_alloc, _free and _free_all on a small key set: NOBJS objects
 * times NIDS ids, the first two objects chosen so that they hash to ONE bucket of
 * klp_shadow_hash (every walk there passes the other's entries), the third to another. Then the
 * round's writer frees every id (free_all, recorded too), so that each round starts empty.
 *
 * The duel: before it releases the threads, the round's writer allocates <obj1, id1> (recorded,
 * never with an injected failure), and every thread's first call frees it, all at once (they
 * spin until released). With the lock exactly one of them finds the entry and calls the
 * destructor; a klp_shadow_free whose walk and unlink are not serialized lets two find it, and
 * the history then has two destructor calls on one data (rejected), the kernel a double
 * kfree_rcu (DEBUG_OBJECTS_RCU_HEAD, KASAN). Added 2026-12-07: with random calls alone the
 * seeded free-no-lock was caught by KCSAN after round 160 of 200 at best, and missed in 100
 * rounds of the KASAN build. duel=0 leaves it out.
 *
 * duel=2, the publication duel (vm/run's choice in the KCSAN build, where four threads taking
 * klp_shadow_lock at once made KCSAN, watching one access in 40, report lockdep's own races):
 * thread 0's first call allocates <obj1, id1> while every other thread gets it, again and again
 * (each get recorded) until one returns it or DUEL_GETS have not: lockless readers on the entry
 * while it is published, the window of a race on its fields (the seeded set-after-publish, which
 * stays linearizable: only KCSAN sees it).
 *
 * What each call records, into its own thread's buffer (no shared lock, no shared counter but
 * the data serial): its arguments, two timestamps of one global clock (ktime_get_ns(), before
 * the call and after its return), the value it returned as the SERIAL that the constructor wrote
 * into the data (slab reuses addresses; a serial does not repeat), whether the kernel's fault
 * injection failed an allocation in it (current->fail_nth = 1 before the call; 0 after it means
 * an allocation consumed it and failed), its constructor call (the serial it wrote, and whether
 * it was told to fail) and every destructor call it made (the serial of the data destroyed).
 *
 * Every call runs inside rcu_read_lock() so that the data it returned can be read for its serial
 * after the return while other threads free it (the free is kfree_rcu: the memory stays until
 * the reader leaves); a get holds the entry for a few microseconds before reading it. Inside the
 * read-side section the allocating calls pass GFP_NOWAIT | __GFP_NOWARN (no sleeping; no
 * failure report). kernel-check/vm/init sets failslab's ignore-gfp-wait=N and verbose=0;
 * probability stays 0, so only the calls that set fail_nth can fail.
 *
 * debugfs: shadowvars_stress/round (write N: run round N, seeded by seed and N; returns when
 * it is over) and shadowvars_stress/history (read: the last round, one line per call; the format
 * is read by io.github.shadowvars.kit.KernelHistoryCheck and described there).
 */
#include <linux/module.h>
#include <linux/kthread.h>
#include <linux/livepatch.h>
#include <linux/debugfs.h>
#include <linux/hash.h>
#include <linux/slab.h>
#include <linux/prandom.h>
#include <linux/delay.h>
#include <linux/completion.h>
#include <linux/timekeeping.h>
#include <linux/seq_file.h>
#include <linux/sched.h>
#include <linux/cpumask.h>
#include <linux/mutex.h>
#include <linux/uaccess.h>

#define MAX_THREADS 8
#define MAX_OPS 32
#define NOBJS 3
#define NIDS 2
#define MAX_DTORS NOBJS
#define HASH_BITS_KLP 12	/* DEFINE_HASHTABLE(klp_shadow_hash, 12) in shadow.c */

static unsigned int ops = 4;
module_param(ops, uint, 0444);	/* read-only once loaded: the threads read it during a round */
MODULE_PARM_DESC(ops, "random calls per thread per round (at most 24: 32 less the duel's)");
static unsigned int duel = 1;
module_param(duel, uint, 0444);
MODULE_PARM_DESC(duel, "1: each round begins with every thread freeing one entry at once; 2: with one thread allocating it while the others get it; 0: random calls only");
#define DUEL_GETS 8
static unsigned int threads;
module_param(threads, uint, 0644);
MODULE_PARM_DESC(threads, "threads per round (0: one per online CPU, at most 8)");
static unsigned int fail_pct = 15;
module_param(fail_pct, uint, 0644);
MODULE_PARM_DESC(fail_pct, "percentage of alloc/get_or_alloc calls with an injected allocation failure");
static unsigned int ctor_fail_pct = 5;
module_param(ctor_fail_pct, uint, 0644);
MODULE_PARM_DESC(ctor_fail_pct, "percentage of alloc/get_or_alloc calls whose constructor fails");
static unsigned long seed = 1;
module_param(seed, ulong, 0644);
MODULE_PARM_DESC(seed, "seed of the random calls (round N uses seed and N)");

enum { OP_GET, OP_ALLOC, OP_GET_OR_ALLOC, OP_FREE, OP_FREE_ALL };
static const char *const op_names[] = { "get", "alloc", "getOrAlloc", "free", "freeAll" };

/* The keys. The objects are never dereferenced by shadow.c: any address is a key. */
static char objspace[1 << 16];
static void *objs[NOBJS];
static const unsigned long ids[NIDS] = { 0x5301, 0x5302 };

/* One call, as observed. */
struct rec {
	u8 op, obj, id;
	u8 inj;			/* an injected allocation failure happened in the call */
	u8 ctor_fail;		/* the constructor was told to fail */
	u8 ctors;		/* constructor calls in the call */
	u8 ndtor;		/* destructor calls in the call */
	u8 overflow;		/* more destructor calls than MAX_DTORS */
	u8 sure;		/* a duel's allocation: no injected failure, no failing constructor */
	u64 ctor_serial;	/* the serial the constructor wrote */
	u64 ret;		/* the serial of the data returned, 0 for NULL */
	u64 dtor[MAX_DTORS];	/* the serials the destructor saw */
	u64 t0, t1;		/* ktime_get_ns() before the call, after the return */
};

/* A thread of a round, and its history buffer. Index MAX_THREADS: the round's writer. */
struct worker {
	struct task_struct *task;
	unsigned int idx, n;
	struct rnd_state rnd;
	struct rec *cur;	/* the call in progress: the constructor and destructor write here */
	struct rec rec[MAX_OPS];
};

static struct worker workers[MAX_THREADS + 1];
static unsigned int nworkers, round_no, round_cpus;
static atomic64_t serials = ATOMIC64_INIT(0);
static atomic_t remaining;
static DECLARE_COMPLETION(round_done);
static int go;
static atomic_t ready;		/* threads spinning on go: the writer releases them only when all are */
static DEFINE_MUTEX(round_mutex);
static char *history;		/* the text of the last round */
static size_t history_len;
static struct dentry *dir;

/* The worker running on this task (the constructor and destructor have no thread argument). */
static struct worker *me(void)
{
	unsigned int i;

	for (i = 0; i <= MAX_THREADS; i++)
		if (workers[i].task == current)
			return &workers[i];
	return NULL;
}

static int ctor(void *obj, void *shadow_data, void *ctor_data)
{
	struct worker *w = ctor_data;
	struct rec *r = w->cur;
	u64 serial = atomic64_inc_return(&serials);

	*(u64 *)shadow_data = serial;
	r->ctors++;
	r->ctor_serial = serial;
	return r->ctor_fail ? -ENOMEM : 0;
}

static void dtor(void *obj, void *shadow_data)
{
	struct worker *w = me();
	struct rec *r = w ? w->cur : NULL;

	if (!r)
		return;
	if (r->ndtor < MAX_DTORS)
		r->dtor[r->ndtor++] = *(u64 *)shadow_data;
	else
		r->overflow = 1;
}

static bool chance(struct worker *w, unsigned int pct)
{
	return prandom_u32_state(&w->rnd) % 100 < pct;
}

/* One call with its observations. */
static void call(struct worker *w, struct rec *r)
{
	void *obj = objs[r->obj], *p = NULL;
	unsigned long id = ids[r->id];
	gfp_t gfp = GFP_NOWAIT | __GFP_NOWARN;
	bool allocating = (r->op == OP_ALLOC || r->op == OP_GET_OR_ALLOC) && !r->sure;
	bool inject = allocating && chance(w, fail_pct);
	unsigned int hold = r->op == OP_GET ? prandom_u32_state(&w->rnd) % 8 : 0;

	r->ctor_fail = allocating && chance(w, ctor_fail_pct);
	w->cur = r;
	rcu_read_lock();
	if (inject)
		current->fail_nth = 1;	/* the next slab allocation of this task fails */
	r->t0 = ktime_get_ns();
	switch (r->op) {
	case OP_GET:
		p = klp_shadow_get(obj, id);
		break;
	case OP_ALLOC:
		p = klp_shadow_alloc(obj, id, sizeof(u64), gfp, ctor, w);
		break;
	case OP_GET_OR_ALLOC:
		p = klp_shadow_get_or_alloc(obj, id, sizeof(u64), gfp, ctor, w);
		break;
	case OP_FREE:
		klp_shadow_free(obj, id, dtor);
		break;
	case OP_FREE_ALL:
		klp_shadow_free_all(id, dtor);
		break;
	}
	r->t1 = ktime_get_ns();
	if (inject) {
		r->inj = current->fail_nth == 0;
		current->fail_nth = 0;
	}
	if (p) {
		if (hold)
			udelay(hold);	/* hold the entry while other threads free it */
		r->ret = READ_ONCE(*(u64 *)p);
	}
	rcu_read_unlock();
	w->cur = NULL;
}

static int worker_fn(void *arg)
{
	struct worker *w = arg;
	unsigned int i, x, k = 0;

	atomic_inc(&ready);
	while (!smp_load_acquire(&go))
		cpu_relax();
	if (duel == 1) {		/* every thread frees the writer's <obj1, id1> at once */
		w->rec[k].op = OP_FREE;
		call(w, &w->rec[k++]);
	} else if (duel == 2 && w->idx == 0) {	/* thread 0 publishes <obj1, id1> ... */
		w->rec[k].op = OP_ALLOC;
		w->rec[k].sure = 1;
		call(w, &w->rec[k++]);
	} else if (duel == 2) {	/* ... while the others get it until they see it */
		do {
			w->rec[k].op = OP_GET;
			call(w, &w->rec[k]);
		} while (!w->rec[k++].ret && k < DUEL_GETS);
	}
	for (i = 0; i < ops; i++) {
		struct rec *r = &w->rec[k++];

		x = prandom_u32_state(&w->rnd) % 100;
		r->op = x < 30 ? OP_GET : x < 45 ? OP_ALLOC : x < 70 ? OP_GET_OR_ALLOC :
			x < 92 ? OP_FREE : OP_FREE_ALL;
		r->obj = prandom_u32_state(&w->rnd) % NOBJS;
		r->id = prandom_u32_state(&w->rnd) % NIDS;
		call(w, r);
	}
	w->n = k;	/* read by the round after round_done */
	if (atomic_dec_and_test(&remaining))
		complete(&round_done);
	/* kthread_stop() collects the thread: the module's text is left only through it */
	set_current_state(TASK_INTERRUPTIBLE);
	while (!kthread_should_stop()) {
		schedule();
		set_current_state(TASK_INTERRUPTIBLE);
	}
	__set_current_state(TASK_RUNNING);
	return 0;
}

static int append(char **buf, size_t *len, size_t cap, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(*buf + *len, cap - *len, fmt, ap);
	va_end(ap);
	if (n >= cap - *len)
		return -ENOSPC;
	*len += n;
	return 0;
}

static void format_rec(char **buf, size_t *len, size_t cap, unsigned int t, unsigned int i, struct rec *r)
{
	unsigned int k;

	append(buf, len, cap, "op %u %u %s", t, i, op_names[r->op]);
	if (r->op != OP_FREE_ALL)
		append(buf, len, cap, " obj=%u", r->obj + 1);
	append(buf, len, cap, " id=%u inj=%u ctors=%u", r->id + 1, r->inj, r->ctors);
	if (r->ctors)
		append(buf, len, cap, " ctor=%llu ctorfail=%u", r->ctor_serial, r->ctor_fail);
	append(buf, len, cap, " ret=%llu dtor=", r->ret);
	if (!r->ndtor)
		append(buf, len, cap, "-");
	for (k = 0; k < r->ndtor; k++)
		append(buf, len, cap, "%s%llu", k ? "," : "", r->dtor[k]);
	if (r->overflow)
		append(buf, len, cap, ",overflow");
	append(buf, len, cap, " t0=%llu t1=%llu\n", r->t0, r->t1);
}

static int run_round(unsigned int n)
{
	unsigned int i, cpu, t = 0;
	struct worker *c = &workers[MAX_THREADS];
	size_t cap = 256 + (MAX_THREADS * MAX_OPS + 1 + NIDS) * 256, len = 0;
	char *buf;
	int ret = 0;

	nworkers = threads ? min(threads, (unsigned int)MAX_THREADS) :
		min(num_online_cpus(), (unsigned int)MAX_THREADS);
	buf = kvmalloc(cap, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	round_no = n;
	round_cpus = num_online_cpus();
	WRITE_ONCE(go, 0);
	atomic_set(&remaining, nworkers);
	atomic_set(&ready, 0);
	reinit_completion(&round_done);
	for (i = 0; i < nworkers; i++) {
		struct worker *w = &workers[i];

		memset(w->rec, 0, sizeof(w->rec));
		w->idx = i;
		w->n = 0;	/* the worker's count of its calls */
		w->cur = NULL;
		prandom_seed_state(&w->rnd, seed * 1000003ULL + n * 131ULL + i);
	}
	/* the duel's entry, <obj1, id1>: the writer's call 0 (its free_alls follow the round) */
	memset(c->rec, 0, sizeof(c->rec));
	prandom_seed_state(&c->rnd, seed * 1000003ULL + n * 131ULL + MAX_THREADS);
	if (duel == 1) {
		c->task = current;
		c->rec[0].op = OP_ALLOC;
		c->rec[0].sure = 1;
		call(c, &c->rec[0]);
		c->task = NULL;
	}
	cpu = cpumask_first(cpu_online_mask);
	for (i = 0; i < nworkers; i++) {
		struct task_struct *task = kthread_create(worker_fn, &workers[i], "svstress/%u", i);

		if (IS_ERR(task)) {
			/* the threads created so far run their calls; the round is reported short */
			atomic_sub(nworkers - i, &remaining);
			nworkers = i;
			ret = PTR_ERR(task);
			break;
		}
		if (cpu < nr_cpu_ids) {
			kthread_bind(task, cpu);
			cpu = cpumask_next(cpu, cpu_online_mask);
		}
		get_task_struct(task);
		workers[i].task = task;
		wake_up_process(task);
	}
	/*
	 * Release the threads only when every one is spinning on go: released as they were woken,
	 * the last ones often started after the first had finished the duel (the free duel missed
	 * the seeded free-no-lock in 100 rounds on 2026-12-07 19:20 UTC). The writer yields while
	 * it waits: it may share a CPU with a thread bound there.
	 */
	while (atomic_read(&ready) < nworkers)
		schedule_timeout_uninterruptible(1);
	smp_store_release(&go, 1);
	if (nworkers)
		wait_for_completion(&round_done);
	else
		complete(&round_done);
	for (i = 0; i < nworkers; i++) {
		kthread_stop(workers[i].task);
		put_task_struct(workers[i].task);
		workers[i].task = NULL;
	}
	/* the writer empties the table, recorded as thread nworkers (after its duel alloc) */
	c->task = current;
	for (i = 0; i < NIDS; i++) {
		c->rec[1 + i].op = OP_FREE_ALL;
		c->rec[1 + i].id = i;
		call(c, &c->rec[1 + i]);
	}
	c->task = NULL;

	append(&buf, &len, cap, "round %u threads %u ops %u cpus %u seed %lu\n", n, nworkers, ops, round_cpus, seed);
	for (i = 0; i < nworkers; i++)
		for (t = 0; t < workers[i].n; t++)
			format_rec(&buf, &len, cap, i, t, &workers[i].rec[t]);
	for (i = duel != 1; i < 1 + NIDS; i++)
		format_rec(&buf, &len, cap, nworkers, i - (duel != 1), &c->rec[i]);
	append(&buf, &len, cap, "end %u\n", n);
	kvfree(history);
	history = buf;
	history_len = len;
	return ret;
}

static ssize_t round_write(struct file *file, const char __user *ubuf, size_t count, loff_t *ppos)
{
	unsigned int n;
	int ret = kstrtouint_from_user(ubuf, count, 10, &n);

	if (ret)
		return ret;
	mutex_lock(&round_mutex);
	ret = run_round(n);
	mutex_unlock(&round_mutex);
	return ret ? ret : count;
}

static const struct file_operations round_fops = {
	.owner = THIS_MODULE,
	.write = round_write,
};

static int history_show(struct seq_file *m, void *v)
{
	mutex_lock(&round_mutex);
	if (history)
		seq_write(m, history, history_len);
	mutex_unlock(&round_mutex);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(history);

static int __init stress_init(void)
{
	u32 b0, b;
	unsigned int i, n = 1;

	/* objs[0] and objs[1] in one bucket of klp_shadow_hash, objs[2] in another */
	objs[0] = &objspace[0];
	b0 = hash_long((unsigned long)objs[0], HASH_BITS_KLP);
	for (i = 1; i < sizeof(objspace) && n < NOBJS; i++) {
		b = hash_long((unsigned long)&objspace[i], HASH_BITS_KLP);
		if (n == 1 && b == b0)
			objs[n++] = &objspace[i];
	}
	if (n < 2)
		return -EINVAL;
	for (i = 1; i < sizeof(objspace); i++)
		if (hash_long((unsigned long)&objspace[i], HASH_BITS_KLP) != b0)
			break;
	objs[2] = &objspace[i];
	pr_info("shadowvars_stress: obj1 and obj2 in bucket %u of 4096, obj3 in bucket %u\n",
		b0, hash_long((unsigned long)objs[2], HASH_BITS_KLP));

	if (duel > 2 || ops > MAX_OPS - DUEL_GETS)
		return -EINVAL;
	dir = debugfs_create_dir("shadowvars_stress", NULL);
	debugfs_create_file("round", 0200, dir, NULL, &round_fops);
	debugfs_create_file("history", 0400, dir, NULL, &history_fops);
	return 0;
}

static void __exit stress_exit(void)
{
	debugfs_remove_recursive(dir);
	kvfree(history);
}

module_init(stress_init);
module_exit(stress_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("shadowvars: concurrent stress of the livepatch shadow variables with recorded histories");
