----------------------------- MODULE ShadowWeak -----------------------------
(***************************************************************************)
(* The weak table: Shadow's algorithm with entries that refer to their    *)
(* object weakly, objects that die, and the expunge that unlinks the      *)
(* entries of dead objects.  It reuses Shadow's steps (through            *)
(* ShadowDriver, ShadowAux and ShadowProperties) and replaces only the    *)
(* steps it changes, as the seeded bugs of ShadowMutants do.               *)
(*                                                                         *)
(* Die(o): the object's death, a step of the environment (the collector   *)
(* clearing every weak reference to o at once; Java has no code for it).  *)
(* It is taken only when no operation in progress names o (an operation   *)
(* on o holds o, and so does a freeAll between its test of an entry of o  *)
(* and its destructor call on it) and no thread's script names o later;   *)
(* after it the driver draws no operation on o.  An entry of a dead       *)
(* object ("stale") stays linked, readers of other keys walk past it, and *)
(* it never matches a lookup (no caller can name its object).              *)
(*                                                                         *)
(* Stale entries are unlinked only under the lock, never by readers, with *)
(* the steps of the expunge:                                               *)
(*   (1) expunge(): x_lock, then x_walk / x_del / x_kfree_rcu until no    *)
(*       stale entry is linked, then x_unlock;                             *)
(*   (2) every write (alloc, getOrAlloc on its slow path, free, freeAll)   *)
(*       runs x_walk / x_del / x_kfree_rcu right after its own lock step  *)
(*       (a_lock, f_lock, fa_lock), before its own work;                   *)
(*   (3) freeAll's walk, meeting an entry of its id whose object died     *)
(*       (while freeAll held the lock, or before it and left linked by a  *)
(*       lagging queue), unlinks it with x_del / x_kfree_rcu and walks    *)
(*       on (fa_next).                                                     *)
(* No destructor runs for a stale entry.  expunge has no C function: it   *)
(* is the weak table's own operation, built from klp_shadow_free_all's    *)
(* steps without the destructor.  In the checked flavour x_kfree_rcu is   *)
(* kfree_rcu; in the GC flavour it is nothing (the collector frees the    *)
(* entry once no reader holds it), which the grace period models.         *)
(*                                                                         *)
(* The ReferenceQueue the Java code polls is abstracted as the set of     *)
(* stale entries still linked (Stale): an entry already unlinked is       *)
(* skipped, so no entry is unlinked twice.  The queue may lag behind the  *)
(* death (the collector clears the references at once, the JDK's          *)
(* reference handler thread enqueues them later, one by one): x_walk may  *)
(* stop with stale entries still linked, which a later write or expunge   *)
(* unlinks.                                                                *)
(***************************************************************************)
EXTENDS ShadowProperties

CONSTANT MortalObjs   \* the objects that may die in the model

ASSUME MortalObjs \subseteq Objs

VARIABLES
    dead,      \* the objects that have died (environment)
    expunged   \* history: the entries unlinked by x_del (removed as stale)

wvars == <<hvars, dead, expunged>>

(* The entries of dead objects still linked: what the ReferenceQueue     *)
(* holds that is not yet unlinked.                                         *)
Stale == {e \in Entries : estate[e] = "published" /\ eobj[e] \in dead}

(* freeAll p is in its walk of the buckets (not in its expunge, (2)). *)
FreeAllWalking(p) == op[p].op = "freeAll" /\ bkt[p] # Nil

-----------------------------------------------------------------------------
(* The call: expunge starts at x_lock; every other operation as in Shadow. *)
WCall(p, o) ==
  IF o.op = "expunge"
    THEN /\ pc[p] = "idle"
         /\ op' = [op EXCEPT ![p] = o]
         /\ Goto(p, "x_lock")
         /\ ret' = [ret EXCEPT ![p] = NoRet]
         /\ UNCHANGED <<cur, new, bkt, heapVars>>
    ELSE Call(p, o)

(* spin_lock_irqsave of a write (a_lock, f_lock, fa_lock): then the      *)
(* expunge's walk, (2), before the write's own work.                       *)
LockExpunge(p) ==
  /\ pc[p] \in {"a_lock", "f_lock", "fa_lock"}
  /\ Lock(p)
  /\ Goto(p, "x_walk")
  /\ UNCHANGED <<op, cur, new, bkt, ret, inRead, tableVars, estate, waitFor>>

(* expunge: spin_lock_irqsave. *)
x_lock(p) ==
  /\ pc[p] = "x_lock"
  /\ Lock(p)
  /\ Goto(p, "x_walk")
  /\ UNCHANGED <<op, cur, new, bkt, ret, inRead, tableVars, estate, waitFor>>

(* Find the next stale entry still linked (poll the ReferenceQueue,       *)
(* skipping entries already unlinked); when the queue is empty, go on     *)
(* with the operation's own work: expunge unlocks, a write goes to the    *)
(* step after its lock (freeAll starts its walk at the head of bucket 0,  *)
(* as fa_lock).  The queue may be empty while stale entries are linked    *)
(* (not yet enqueued), so going on is always possible.                     *)
(* x_walkIn(p, S) is the step with S the entries it unlinks: x_walk is    *)
(* x_walkIn(p, Stale) (a seeded bug widens S).                             *)
x_walkIn(p, S) ==
  /\ pc[p] = "x_walk"
  /\ \/ /\ \E e \in S : cur' = [cur EXCEPT ![p] = e]
        /\ Goto(p, "x_del") /\ UNCHANGED bkt
     \/ CASE op[p].op = "expunge" ->
           Goto(p, "x_unlock") /\ UNCHANGED <<cur, bkt>>
        [] op[p].op \in {"alloc", "getOrAlloc"} ->
           Goto(p, "a_recheck") /\ UNCHANGED <<cur, bkt>>
        [] op[p].op = "free" ->
           Goto(p, "f_walk") /\ UNCHANGED <<cur, bkt>>
        [] op[p].op = "freeAll" ->
           /\ bkt' = [bkt EXCEPT ![p] = 0]
           /\ cur' = [cur EXCEPT ![p] = head[0]]
           /\ Goto(p, "fa_walk")
  /\ UNCHANGED <<op, new, ret, heapVars>>

x_walk(p) == x_walkIn(p, Stale)

(* hash_del_rcu: unlink the stale entry, keeping its forward link. *)
x_del(p) ==
  LET e == cur[p] IN
  /\ pc[p] = "x_del"
  /\ Unlink(e)
  /\ estate' = [estate EXCEPT ![e] = "unlinked"]
  /\ Goto(p, "x_kfree_rcu")
  /\ UNCHANGED <<op, cur, new, bkt, ret, lock, inRead, eobj, eid, waitFor>>

(* kfree_rcu (checked flavour; GC flavour: nothing, the collector frees  *)
(* it once no reader holds it): the grace period waits for every process  *)
(* now inside a read-side section.  No destructor.  freeAll's walk goes   *)
(* on from the entry's kept link (fa_next); the expunge walks again.      *)
x_kfree_rcu(p) ==
  LET e == cur[p] IN
  /\ pc[p] = "x_kfree_rcu"
  /\ estate' = [estate EXCEPT ![e] = "gp_wait"]
  /\ waitFor' = [waitFor EXCEPT ![e] = Inside]
  /\ Goto(p, IF FreeAllWalking(p) THEN "fa_next" ELSE "x_walk")
  /\ UNCHANGED <<op, cur, new, bkt, ret, lock, inRead, tableVars>>

(* expunge: spin_unlock_irqrestore; return. *)
x_unlock(p) ==
  /\ pc[p] = "x_unlock"
  /\ Unlock(p)
  /\ Return(p, Nil, "done")
  /\ UNCHANGED <<new, bkt, inRead, tableVars, estate>>

(* freeAll's walk, (3): an entry of its id whose object is dead is        *)
(* unlinked without the destructor; every other entry as in Shadow.        *)
fa_walk_weak(p) ==
  LET e == cur[p] IN
  IF e # Nil /\ eid[e] = op[p].id /\ eobj[e] \in dead
    THEN /\ pc[p] = "fa_walk"
         /\ Goto(p, "x_del")
         /\ UNCHANGED <<op, cur, new, bkt, ret, heapVars>>
    ELSE fa_walk(p)

(* The labels whose steps the weak table changes. *)
ChangedLabels == {"a_lock", "f_lock", "fa_lock", "fa_walk"}

(* One step of an operation of p in the weak table. *)
WOpStep(p) ==
  \/ pc[p] \notin ChangedLabels /\ OpStep(p)
  \/ LockExpunge(p) \/ fa_walk_weak(p)
  \/ x_lock(p) \/ x_walk(p) \/ x_del(p) \/ x_kfree_rcu(p) \/ x_unlock(p)

-----------------------------------------------------------------------------
(* The driver: as ShadowDriver's, with expunge among the kinds a thread   *)
(* may choose ("expunge" in OpKinds), and no operation on a dead object.   *)
WKindOps == IF "expunge" \in OpKinds THEN KindOps \cup {ExpungeOp} ELSE KindOps

WNextOps(p) ==
  {o \in IF Script[p] = <<>> THEN WKindOps ELSE {Script[p][nOps[p] + 1]} :
     o.obj \notin dead}

WCallNext(p) ==
  /\ pc[p] = "idle" /\ nOps[p] < Limit(p)
  /\ \E o \in WNextOps(p) : WCall(p, o)
  /\ nOps' = [nOps EXCEPT ![p] = @ + 1]

(* p holds object o: its operation names o, or it is a freeAll between    *)
(* its test of an entry of o (fa_walk) and its destructor call on it.     *)
Holds(p, o) ==
  \/ op[p].obj = o
  \/ pc[p] \in {"fa_del", "fa_dtor"} /\ eobj[cur[p]] = o

(* A later operation of p's script names o. *)
WillName(p, o) ==
  \E i \in (nOps[p] + 1) .. Len(Script[p]) : Script[p][i].obj = o

(* Object o dies: the collector clears every weak reference to it at     *)
(* once.  Nothing of the table changes; its entries are stale from now.   *)
Die(o) ==
  /\ o \in MortalObjs \ dead
  /\ \A p \in Procs : ~Holds(p, o) /\ ~WillName(p, o)
  /\ dead' = dead \cup {o}
  /\ UNCHANGED <<hvars, expunged>>

-----------------------------------------------------------------------------
(* The weak table with its history variables (ShadowAux's, and expunged). *)
WStepOf(O(_), p) ==
  /\ WCallNext(p) \/ (O(p) /\ UNCHANGED nOps)
  /\ HStep(p)
  /\ expunged' = IF pc[p] = "x_del" THEN expunged \cup {cur[p]} ELSE expunged
  /\ UNCHANGED dead

WInit == HInit /\ dead = {} /\ expunged = {}

WNextOf(O(_)) ==
  \/ \E p \in Procs : WStepOf(O, p)
  \/ \E o \in MortalObjs : Die(o)
  \/ Reclaim /\ UNCHANGED <<auxVars, dead, expunged>>
  \/ Finished /\ UNCHANGED <<auxVars, dead, expunged>>

WNext == WNextOf(WOpStep)
WSpec == WInit /\ [][WNext]_wvars

(* With the weak fairness of ShadowDriver's Spec (for the liveness        *)
(* models): a process that can take a step takes one, the RCU callback     *)
(* runs once a grace period has ended; no object has to die.               *)
WSpecLive ==
  /\ WSpec
  /\ \A p \in Procs : WF_wvars(WStepOf(WOpStep, p))
  /\ WF_wvars(Reclaim /\ UNCHANGED <<auxVars, dead, expunged>>)

-----------------------------------------------------------------------------
(* Properties.  TypeOK, UniqueKey, SpinlockMutex, NoUseAfterReclaim,     *)
(* PublishedFieldsSet, ConstructedBeforePublished, ReclaimAfterGracePeriod,*)
(* NoLeak and Linearizable are ShadowProperties's, read on this spec: a   *)
(* stale entry is published (reachable) until x_del, then unlinked by     *)
(* exactly one expunging process (NoLeak), awaiting its grace period, and *)
(* reclaimed; expunge's result is "done" (ShadowOps).                      *)

(* The labels of the weak table. *)
WLabels == Labels \cup {"x_lock"} \cup ExpungeLockedLabels

WTypeOK ==
  /\ TypeOKWith(WLabels, Ops \cup {ExpungeOp})
  /\ dead \subseteq MortalObjs
  /\ expunged \subseteq Entries

(* The destructor: as in the strong table, except that it never runs for *)
(* an expunged entry.                                                      *)
WDestructorOnce == DestructorOnceBut(expunged)

(* The destructor is called only with a live object (f_dtor, fa_dtor):    *)
(* never for a dead object's entry.                                        *)
DtorOnLiveObject ==
  \A p \in Procs : pc[p] \in {"f_dtor", "fa_dtor"} => eobj[cur[p]] \notin dead

(* Only entries of dead objects are expunged. *)
ExpungeOnlyDead == \A e \in expunged : eobj[e] \in dead

-----------------------------------------------------------------------------
(* Refinement of ShadowAtomicWeak: the table is the map of what a lookup *)
(* finds, for live objects only (a dead object's keys are gone at Die,    *)
(* though its entries stay linked until expunged); the other variables    *)
(* map as in ShadowProperties.  An x_ step changes no abstract variable.  *)
WAMap == [k \in Keys |-> IF k[1] \in dead THEN Nil ELSE Lookup(k)]

AW == INSTANCE ShadowAtomicWeak WITH
        Data <- Entries, amap <- WAMap, aop <- AOp, seen <- seen, eff <- eff,
        ret <- ARet, dtorRan <- DtorRan, dtorDue <- DtorDue, dead <- dead

(* As ShadowProperties's RefStep: the abstract stutter, the moving       *)
(* process's step, else any abstract step (Die's is ADie).                 *)
WRefStep ==
  \/ AStutter /\ UNCHANGED dead
  \/ \E p \in Procs : pc'[p] # pc[p] /\ AW!WAStep(p)
  \/ AW!WANext

WRefinement == AW!WAInit /\ [][WRefStep]_(AW!wavars)
WRefinementStep == [][WRefStep]_(AW!wavars)

-----------------------------------------------------------------------------
(* Witness invariants: TLC must VIOLATE each (the situation is reached). *)

(* An explicit expunge unlinks a stale entry. *)
Witness_ExpungeUnlinks ==
  ~ \E p \in Procs : pc[p] = "x_kfree_rcu" /\ op[p].op = "expunge"

(* A write unlinks a stale entry after its lock step, (2). *)
Witness_WriteExpunges ==
  ~ \E p \in Procs : pc[p] = "x_kfree_rcu" /\ op[p].op # "expunge"
                     /\ ~FreeAllWalking(p)

(* freeAll's walk meets an entry of its id whose object died, (3). *)
Witness_FreeAllMeetsDead ==
  ~ \E p \in Procs : pc[p] = "x_kfree_rcu" /\ FreeAllWalking(p)

(* A lock-free reader stands on a stale entry, about to walk past it. *)
Witness_ReaderOnStale ==
  ~ \E p \in Procs : pc[p] = "g_walk" /\ eobj[cur[p]] \in dead

(* A lock-free reader stands on an expunged entry: its reclaim waits. *)
Witness_ReaderOnExpunged ==
  ~ \E p \in Procs : pc[p] = "g_walk" /\ cur[p] \in expunged
=============================================================================
