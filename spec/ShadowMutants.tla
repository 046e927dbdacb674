---------------------------- MODULE ShadowMutants ----------------------------
(***************************************************************************)
(* Seeded bugs (mutants) of the algorithm of module Shadow.  Each one     *)
(* reuses Shadow's actions and replaces only the step(s) it changes: its  *)
(* step StepX(p) is the driver's Step(p) (ShadowDriver) at every other    *)
(* label, and its own action(s) at the labels it changes (an action of    *)
(* Shadow is enabled only at its own label(s), so "pc[p] \notin L /\       *)
(* Step(p)" is Step(p) without the steps at the labels in L; a mutant's   *)
(* own actions leave the driver's nOps unchanged).  SpecX is the mutant   *)
(* with the history variables of ShadowAux (HInit, HNextOf).  The models are *)
(* model-check/Mutant_*.cfg, Precheck_*.cfg; each must violate the        *)
(* property model-check/manifest.tsv names (safety: no fairness, except    *)
(* the two liveness mutants at the end).                                   *)
(*                                                                         *)
(* A trace or race check against a mutant overrides its step definition   *)
(* in the .cfg (TraceStep <- StepX, RaceStep <- StepX).                     *)
(***************************************************************************)
EXTENDS ShadowAux

-----------------------------------------------------------------------------
(* NoPrecheck: alloc and getOrAlloc skip the lockless pre-check and go   *)
(* straight to the allocation.                                             *)
Call_NoPrecheck(p, o) ==
  /\ pc[p] = "idle"
  /\ op' = [op EXCEPT ![p] = o]
  /\ pc' = [pc EXCEPT ![p] =
              CASE o.op = "get" -> "g_lock"
                [] o.op \in {"alloc", "getOrAlloc"} -> "a_alloc"
                [] o.op = "free" -> "f_lock"
                [] o.op = "freeAll" -> "fa_lock"]
  /\ ret' = [ret EXCEPT ![p] = NoRet]
  /\ UNCHANGED <<cur, new, bkt, heapVars>>

StepNoPrecheck(p) ==
  (pc[p] # "idle" /\ Step(p)) \/ CallNextWith(Call_NoPrecheck, p)
SpecNoPrecheck == HInit /\ [][HNextOf(StepNoPrecheck)]_hvars

-----------------------------------------------------------------------------
(* NoRecheck: no second look under the lock. *)
a_recheck_NoRecheck(p) ==
  /\ pc[p] = "a_recheck"
  /\ pc' = [pc EXCEPT ![p] = "a_set"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, heapVars>>

StepNoRecheck(p) == (pc[p] # "a_recheck" /\ Step(p)) \/ a_recheck_NoRecheck(p)
SpecNoRecheck == HInit /\ [][HNextOf(StepNoRecheck)]_hvars

-----------------------------------------------------------------------------
(* PublishBeforeCtor: a_set -> a_publish -> a_ctor -> a_unlock. *)
a_set_PublishBeforeCtor(p) ==
  LET e == new[p] IN
  /\ pc[p] = "a_set"
  /\ eobj' = [eobj EXCEPT ![e] = op[p].obj]
  /\ eid' = [eid EXCEPT ![e] = op[p].id]
  /\ pc' = [pc EXCEPT ![p] = "a_publish"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, lock, inRead, head, next,
                 estate, waitFor>>

a_publish_PublishBeforeCtor(p) ==
  LET e == new[p]
      b == Hash[op[p].obj] IN
  /\ pc[p] = "a_publish"
  /\ next' = [next EXCEPT ![e] = head[b]]
  /\ head' = [head EXCEPT ![b] = e]
  /\ estate' = [estate EXCEPT ![e] = "published"]
  /\ cur' = [cur EXCEPT ![p] = e]
  /\ new' = IF CtorGiven THEN new ELSE [new EXCEPT ![p] = Nil]
  /\ pc' = [pc EXCEPT ![p] = IF CtorGiven THEN "a_ctor" ELSE "a_unlock"]
  /\ UNCHANGED <<op, nOps, bkt, ret, lock, inRead, eobj, eid, waitFor>>

a_ctor_PublishBeforeCtor(p) ==
  /\ pc[p] = "a_ctor"
  /\ \/ /\ pc' = [pc EXCEPT ![p] = "a_unlock"]
        /\ new' = [new EXCEPT ![p] = Nil]
     \/ /\ CtorFail
        /\ pc' = [pc EXCEPT ![p] = "a_ctor_fail_unlock"]
        /\ UNCHANGED new
  /\ UNCHANGED <<op, nOps, cur, bkt, ret, heapVars>>

StepPublishBeforeCtor(p) ==
  \/ pc[p] \notin {"a_set", "a_publish", "a_ctor"} /\ Step(p)
  \/ a_set_PublishBeforeCtor(p) \/ a_publish_PublishBeforeCtor(p)
  \/ a_ctor_PublishBeforeCtor(p)
SpecPublishBeforeCtor == HInit /\ [][HNextOf(StepPublishBeforeCtor)]_hvars

-----------------------------------------------------------------------------
(* Four bugs of kfree_rcu in klp_shadow_free_struct (so in free and      *)
(* freeAll alike): the entry is handed over with the grace period waiting *)
(* for the set W of processes.                                             *)
free_struct_kfree_rcu_Waiting(p, W) ==
  /\ pc[p] \in {"f_kfree_rcu", "fa_kfree_rcu"}
  /\ estate' = [estate EXCEPT ![cur[p]] = "gp_wait"]
  /\ waitFor' = [waitFor EXCEPT ![cur[p]] = W]
  /\ pc' = [pc EXCEPT ![p] = FreeStructReturn(p)]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, lock, inRead, head, next, eobj, eid>>

KfreeLabels == {"f_kfree_rcu", "fa_kfree_rcu"}

(* GPNotWaitingForReaders: the grace period waits for nobody. *)
StepGPNotWaitingForReaders(p) ==
  \/ pc[p] \notin KfreeLabels /\ Step(p)
  \/ free_struct_kfree_rcu_Waiting(p, {})
SpecGPNotWaitingForReaders == HInit /\ [][HNextOf(StepGPNotWaitingForReaders)]_hvars

(* GPWaitsOnlyStanding: it waits only for the walkers standing on e. *)
Standing(e) == {q \in Procs : pc[q] \in {"g_walk", "fa_walk", "fa_next"} /\ cur[q] = e}
StepGPWaitsOnlyStanding(p) ==
  \/ pc[p] \notin KfreeLabels /\ Step(p)
  \/ free_struct_kfree_rcu_Waiting(p, Standing(cur[p]))
SpecGPWaitsOnlyStanding == HInit /\ [][HNextOf(StepGPWaitsOnlyStanding)]_hvars

(* LockNotReader: the lock holder (interrupts disabled) does not count   *)
(* as an RCU reader.                                                        *)
Readers == {q \in Procs : inRead[q]}
StepLockNotReader(p) ==
  \/ pc[p] \notin KfreeLabels /\ Step(p)
  \/ free_struct_kfree_rcu_Waiting(p, Readers)
SpecLockNotReader == HInit /\ [][HNextOf(StepLockNotReader)]_hvars

(* PlainFree: kfree instead of kfree_rcu: reclaimed at once. *)
free_struct_kfree_rcu_PlainFree(p) ==
  /\ pc[p] \in KfreeLabels
  /\ estate' = [estate EXCEPT ![cur[p]] = "reclaimed"]
  /\ pc' = [pc EXCEPT ![p] = FreeStructReturn(p)]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, lock, inRead, head, next, eobj, eid,
                 waitFor>>

StepPlainFree(p) ==
  \/ pc[p] \notin KfreeLabels /\ Step(p)
  \/ free_struct_kfree_rcu_PlainFree(p)
SpecPlainFree == HInit /\ [][HNextOf(StepPlainFree)]_hvars

(* FreeAllStopsAfterFirst: freeAll unlocks after its first kfree_rcu. *)
fa_kfree_rcu_StopsAfterFirst(p) ==
  /\ pc[p] = "fa_kfree_rcu"
  /\ estate' = [estate EXCEPT ![cur[p]] = "gp_wait"]
  /\ waitFor' = [waitFor EXCEPT ![cur[p]] = Inside]
  /\ pc' = [pc EXCEPT ![p] = "fa_unlock"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, lock, inRead, head, next, eobj, eid>>

StepFreeAllStopsAfterFirst(p) ==
  (pc[p] # "fa_kfree_rcu" /\ Step(p)) \/ fa_kfree_rcu_StopsAfterFirst(p)
SpecFreeAllStopsAfterFirst == HInit /\ [][HNextOf(StepFreeAllStopsAfterFirst)]_hvars

-----------------------------------------------------------------------------
(* NoReadLock: get does not enter a read-side section. *)
g_lock_NoReadLock(p) ==
  LET h == head[Hash[op[p].obj]] IN
  /\ pc[p] = "g_lock"
  /\ cur' = [cur EXCEPT ![p] = h]
  /\ pc' = [pc EXCEPT ![p] = IF h = Nil THEN "g_unlock" ELSE "g_walk"]
  /\ UNCHANGED <<op, nOps, new, bkt, ret, heapVars>>

StepNoReadLock(p) == (pc[p] # "g_lock" /\ Step(p)) \/ g_lock_NoReadLock(p)
SpecNoReadLock == HInit /\ [][HNextOf(StepNoReadLock)]_hvars

-----------------------------------------------------------------------------
(* DelClearsNext: hash_del_rcu also clears the unlinked entry's forward  *)
(* link (as hlist_del_init would), in klp_shadow_free_struct.            *)
UnlinkClearing(e) ==
  IF \E b \in Buckets : head[b] = e
    THEN /\ head' = [b \in Buckets |-> IF head[b] = e THEN next[e] ELSE head[b]]
         /\ next' = [next EXCEPT ![e] = Nil]
    ELSE /\ head' = head
         /\ next' = [x \in Entries |->
                       IF x = e THEN Nil
                       ELSE IF x \in Reachable /\ next[x] = e THEN next[e]
                       ELSE next[x]]

free_struct_del_DelClearsNext(p) ==
  LET e == cur[p] IN
  /\ pc[p] \in {"f_del", "fa_del"}
  /\ UnlinkClearing(e)
  /\ estate' = [estate EXCEPT ![e] = "unlinked"]
  /\ pc' = [pc EXCEPT ![p] = IF pc[p] = "f_del" THEN "f_dtor" ELSE "fa_dtor"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, lock, inRead, eobj, eid, waitFor>>

StepDelClearsNext(p) ==
  \/ pc[p] \notin {"f_del", "fa_del"} /\ Step(p)
  \/ free_struct_del_DelClearsNext(p)
SpecDelClearsNext == HInit /\ [][HNextOf(StepDelClearsNext)]_hvars

-----------------------------------------------------------------------------
(* FreeWithoutLock: free neither takes nor releases the lock. *)
f_lock_FreeWithoutLock(p) ==
  /\ pc[p] = "f_lock"
  /\ pc' = [pc EXCEPT ![p] = "f_walk"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, heapVars>>

f_unlock_FreeWithoutLock(p) ==
  /\ pc[p] = "f_unlock"
  /\ LeaveSection(p)
  /\ Return(p, Nil, "done")
  /\ UNCHANGED <<nOps, new, bkt, lock, inRead, head, next, eobj, eid, estate>>

StepFreeWithoutLock(p) ==
  \/ pc[p] \notin {"f_lock", "f_unlock"} /\ Step(p)
  \/ f_lock_FreeWithoutLock(p) \/ f_unlock_FreeWithoutLock(p)
SpecFreeWithoutLock == HInit /\ [][HNextOf(StepFreeWithoutLock)]_hvars

-----------------------------------------------------------------------------
(* CtorFailLeak: the entry of a failed constructor is not kfreed. *)
a_ctor_fail_kfree_Leak(p) ==
  /\ pc[p] = "a_ctor_fail_kfree"
  /\ new' = [new EXCEPT ![p] = Nil]
  /\ Return(p, Nil, "ctorFail")
  /\ UNCHANGED <<nOps, bkt, heapVars>>

StepCtorFailLeak(p) ==
  (pc[p] # "a_ctor_fail_kfree" /\ Step(p)) \/ a_ctor_fail_kfree_Leak(p)
SpecCtorFailLeak == HInit /\ [][HNextOf(StepCtorFailLeak)]_hvars

(* LostRaceLeak: the speculative entry of a lost race is not kfreed. *)
a_kfree_Leak(p) ==
  /\ pc[p] = "a_kfree"
  /\ new' = [new EXCEPT ![p] = Nil]
  /\ Return(p, IF op[p].op = "alloc" THEN Nil ELSE cur[p],
               IF op[p].op = "alloc" THEN "dup" ELSE "exists")
  /\ UNCHANGED <<nOps, bkt, heapVars>>

StepLostRaceLeak(p) == (pc[p] # "a_kfree" /\ Step(p)) \/ a_kfree_Leak(p)
SpecLostRaceLeak == HInit /\ [][HNextOf(StepLostRaceLeak)]_hvars

-----------------------------------------------------------------------------
(* WrongBucket: hash_add_rcu into a bucket other than Hash[obj]. *)
a_publish_WrongBucket(p) ==
  LET e == new[p]
      b == IF Buckets # {Hash[op[p].obj]}
             THEN CHOOSE c \in Buckets : c # Hash[op[p].obj]
             ELSE Hash[op[p].obj] IN
  /\ pc[p] = "a_publish"
  /\ next' = [next EXCEPT ![e] = head[b]]
  /\ head' = [head EXCEPT ![b] = e]
  /\ estate' = [estate EXCEPT ![e] = "published"]
  /\ cur' = [cur EXCEPT ![p] = e]
  /\ new' = [new EXCEPT ![p] = Nil]
  /\ pc' = [pc EXCEPT ![p] = "a_unlock"]
  /\ UNCHANGED <<op, nOps, bkt, ret, lock, inRead, eobj, eid, waitFor>>

StepWrongBucket(p) == (pc[p] # "a_publish" /\ Step(p)) \/ a_publish_WrongBucket(p)
SpecWrongBucket == HInit /\ [][HNextOf(StepWrongBucket)]_hvars

-----------------------------------------------------------------------------
(* DtorAfterReclaim: the destructor runs in the RCU callback instead of  *)
(* at f_dtor / fa_dtor.  The algorithm's steps are Shadow's; what moves is *)
(* the destructor call, which only the history variable dtorCount sees.   *)
HReclaimDtor ==
  dtorCount' = [e \in Entries |->
                  IF DtorGiven /\ estate[e] = "gp_wait" /\ estate'[e] = "reclaimed"
                    THEN dtorCount[e] + 1 ELSE dtorCount[e]]

NextDtorAfterReclaim ==
  \/ \E p \in Procs : Step(p) /\ HOps(p) /\ UNCHANGED dtorCount
  \/ Reclaim /\ HReclaimDtor
       /\ UNCHANGED <<seen, eff, ctorCalls, ctorDone, gpOwed, faDone,
                      faCallWhileLocked, faNilAfter>>
  \/ Finished /\ UNCHANGED auxVars
SpecDtorAfterReclaim == HInit /\ [][NextDtorAfterReclaim]_hvars

-----------------------------------------------------------------------------
(* CtorBeforeRecheck: the constructor runs right after spin_lock, before *)
(* the lookup under the lock (and before obj and id are set): it may run  *)
(* for a key that another thread has published meanwhile, and fail for it.*)
a_lock_CtorBeforeRecheck(p) ==
  /\ pc[p] = "a_lock"
  /\ lock = Nil
  /\ lock' = p
  /\ pc' = [pc EXCEPT ![p] = IF CtorGiven THEN "a_ctor" ELSE "a_recheck"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, inRead, head, next, eobj, eid,
                 estate, waitFor>>

a_ctor_CtorBeforeRecheck(p) ==
  /\ pc[p] = "a_ctor"
  /\ \/ pc' = [pc EXCEPT ![p] = "a_recheck"]
     \/ /\ CtorFail
        /\ pc' = [pc EXCEPT ![p] = "a_ctor_fail_unlock"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, heapVars>>

a_set_CtorBeforeRecheck(p) == a_set_PublishBeforeCtor(p)  \* a_set -> a_publish

StepCtorBeforeRecheck(p) ==
  \/ pc[p] \notin {"a_lock", "a_ctor", "a_set"} /\ Step(p)
  \/ a_lock_CtorBeforeRecheck(p) \/ a_ctor_CtorBeforeRecheck(p)
  \/ a_set_CtorBeforeRecheck(p)
SpecCtorBeforeRecheck == HInit /\ [][HNextOf(StepCtorBeforeRecheck)]_hvars

-----------------------------------------------------------------------------
(* PublishBeforeSet: hash_add_rcu before new->obj and new->id are set     *)
(* (a_recheck -> a_publish -> a_set -> a_unlock; models without a         *)
(* constructor).  Readers can meet an entry with zeroed fields.            *)
a_recheck_PublishBeforeSet(p) ==
  LET f == Lookup(KeyOf(op[p])) IN
  /\ pc[p] = "a_recheck"
  /\ IF f # Nil
       THEN /\ cur' = [cur EXCEPT ![p] = f]
            /\ pc' = [pc EXCEPT ![p] = "a_exists_unlock"]
       ELSE /\ pc' = [pc EXCEPT ![p] = "a_publish"]
            /\ UNCHANGED cur
  /\ UNCHANGED <<op, nOps, new, bkt, ret, heapVars>>

a_publish_PublishBeforeSet(p) ==
  LET e == new[p]
      b == Hash[op[p].obj] IN
  /\ pc[p] = "a_publish"
  /\ next' = [next EXCEPT ![e] = head[b]]
  /\ head' = [head EXCEPT ![b] = e]
  /\ estate' = [estate EXCEPT ![e] = "published"]
  /\ cur' = [cur EXCEPT ![p] = e]
  /\ new' = [new EXCEPT ![p] = Nil]
  /\ pc' = [pc EXCEPT ![p] = "a_set"]
  /\ UNCHANGED <<op, nOps, bkt, ret, lock, inRead, eobj, eid, waitFor>>

a_set_PublishBeforeSet(p) ==
  LET e == cur[p] IN
  /\ pc[p] = "a_set"
  /\ eobj' = [eobj EXCEPT ![e] = op[p].obj]
  /\ eid' = [eid EXCEPT ![e] = op[p].id]
  /\ pc' = [pc EXCEPT ![p] = "a_unlock"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, lock, inRead, head, next,
                 estate, waitFor>>

StepPublishBeforeSet(p) ==
  \/ pc[p] \notin {"a_recheck", "a_publish", "a_set"} /\ Step(p)
  \/ a_recheck_PublishBeforeSet(p) \/ a_publish_PublishBeforeSet(p)
  \/ a_set_PublishBeforeSet(p)
SpecPublishBeforeSet == HInit /\ [][HNextOf(StepPublishBeforeSet)]_hvars

-----------------------------------------------------------------------------
(* EarlyReadUnlock: rcu_read_unlock inside the walk, as soon as the       *)
(* reader leaves the first entry that does not match; it walks on outside *)
(* its read-side section.                                                   *)
g_walk_EarlyReadUnlock(p) ==
  LET e == cur[p] IN
  /\ pc[p] = "g_walk"
  /\ IF eobj[e] = op[p].obj /\ eid[e] = op[p].id
       THEN /\ pc' = [pc EXCEPT ![p] = "g_unlock"]
            /\ UNCHANGED <<cur, inRead, waitFor>>
       ELSE /\ cur' = [cur EXCEPT ![p] = next[e]]
            /\ pc' = [pc EXCEPT ![p] = IF next[e] = Nil THEN "g_unlock"
                                       ELSE "g_walk"]
            /\ inRead' = [inRead EXCEPT ![p] = FALSE]
            /\ LeaveSection(p)
  /\ UNCHANGED <<op, nOps, new, bkt, ret, lock, head, next, eobj, eid, estate>>

StepEarlyReadUnlock(p) == (pc[p] # "g_walk" /\ Step(p)) \/ g_walk_EarlyReadUnlock(p)
SpecEarlyReadUnlock == HInit /\ [][HNextOf(StepEarlyReadUnlock)]_hvars

-----------------------------------------------------------------------------
(* FreeAllSkipsDtor: freeAll does not call the destructor (free does).   *)
(* As for DtorAfterReclaim, only the history variable dtorCount sees it.  *)
NextFreeAllSkipsDtor ==
  \/ \E p \in Procs :
       /\ Step(p) /\ HOps(p)
       /\ IF pc[p] = "fa_dtor" THEN UNCHANGED dtorCount ELSE HDtor(p)
  \/ Reclaim /\ UNCHANGED auxVars
  \/ Finished /\ UNCHANGED auxVars
SpecFreeAllSkipsDtor == HInit /\ [][NextFreeAllSkipsDtor]_hvars

-----------------------------------------------------------------------------
(* The historical kpatch shadow API (dynup/kpatch kmod/core/shadow.c,    *)
(* kpatch_shadow_alloc, before the kernel's klp_shadow_ functions).  Its  *)
(* alloc has no lookup at all (neither the lockless pre-check nor the     *)
(* check under the lock), no constructor, and a second allocation (the    *)
(* copy of the variable's name) after the first: when that one fails it   *)
(* returns NULL without freeing the first, so the entry is leaked.  Get   *)
(* and free are the kernel's (kpatch's free calls call_rcu after the      *)
(* unlock, which makes no difference here).  Models: CtorGiven = FALSE,  *)
(* DtorGiven = FALSE.                                                      *)

(* kmalloc the entry; NULL -> return NULL (Shadow's a_alloc, but the next *)
(* step is the second allocation).                                         *)
k_alloc(p) ==
  /\ pc[p] = "a_alloc"
  /\ \/ /\ \E e \in Entries : estate[e] = "free"
        /\ LET e == CHOOSE e \in Entries : estate[e] = "free" IN
             /\ estate' = [estate EXCEPT ![e] = "private"]
             /\ new' = [new EXCEPT ![p] = e]
        /\ pc' = [pc EXCEPT ![p] = "k_strdup"]
        /\ UNCHANGED <<cur, ret, op>>
     \/ /\ AllocFail
        /\ Return(p, Nil, "allocFail")
        /\ UNCHANGED <<estate, new>>
  /\ UNCHANGED <<nOps, bkt, lock, inRead, head, next, eobj, eid, waitFor>>

(* The second allocation (kstrdup of the name).  On failure kpatch       *)
(* returns NULL and forgets the entry of the first allocation: it stays  *)
(* allocated ("private") with no owner.                                    *)
k_strdup(p) ==
  /\ pc[p] = "k_strdup"
  /\ \/ /\ pc' = [pc EXCEPT ![p] = "k_lock"]
        /\ UNCHANGED <<cur, ret, op, new>>
     \/ /\ AllocFail
        /\ new' = [new EXCEPT ![p] = Nil]
        /\ Return(p, Nil, "allocFail")
  /\ UNCHANGED <<nOps, bkt, heapVars>>

(* spin_lock_irqsave, then straight to hash_add_rcu: no lookup. *)
k_lock(p) ==
  /\ pc[p] = "k_lock"
  /\ lock = Nil
  /\ lock' = p
  /\ pc' = [pc EXCEPT ![p] = "a_set"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, inRead, head, next, eobj, eid,
                 estate, waitFor>>

(* One step of p under the kpatch API. *)
StepKpatch(p) ==
  \/ CallNextWith(Call_NoPrecheck, p)
  \/ /\ \/ g_lock(p) \/ g_walk(p) \/ g_unlock(p)
        \/ k_alloc(p) \/ k_strdup(p) \/ k_lock(p)
        \/ a_set(p) \/ a_publish(p) \/ a_unlock(p)
        \/ f_lock(p) \/ f_walk(p) \/ f_unlock(p)
        \/ free_struct_del(p) \/ free_struct_dtor(p) \/ free_struct_kfree_rcu(p)
     /\ UNCHANGED nOps
SpecKpatch == HInit /\ [][HNextOf(StepKpatch)]_hvars

-----------------------------------------------------------------------------
(* MissingReadUnlock: klp_shadow_get's not-found path returns without     *)
(* rcu_read_unlock (the classic forgotten unlock on an early-return       *)
(* path).  The reader stays inside its read-side section for ever: every  *)
(* later grace period waits for it (GracePeriodsEnd fails).                *)
g_unlock_MissingReadUnlock(p) ==
  IF op[p].op = "get" /\ cur[p] = Nil
    THEN /\ pc[p] = "g_unlock"
         /\ Return(p, Nil, "value")
         /\ UNCHANGED <<nOps, new, bkt, heapVars>>
    ELSE g_unlock(p) /\ UNCHANGED nOps

StepMissingReadUnlock(p) ==
  (pc[p] # "g_unlock" /\ Step(p)) \/ g_unlock_MissingReadUnlock(p)
SpecMissingReadUnlock ==
  /\ HInit /\ [][HNextOf(StepMissingReadUnlock)]_hvars
  /\ \A p \in Procs : WF_vars(StepMissingReadUnlock(p))
  /\ WF_vars(Reclaim)

-----------------------------------------------------------------------------
(* CtorFailNoUnlock: the constructor-failure path of                      *)
(* __klp_shadow_get_or_alloc returns without spin_unlock_irqrestore.       *)
(* Every later writer waits for the lock for ever (Termination fails).    *)
a_ctor_fail_unlock_Missing(p) ==
  /\ pc[p] = "a_ctor_fail_unlock"
  /\ pc' = [pc EXCEPT ![p] = "a_ctor_fail_kfree"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, heapVars>>

StepCtorFailNoUnlock(p) ==
  (pc[p] # "a_ctor_fail_unlock" /\ Step(p)) \/ a_ctor_fail_unlock_Missing(p)
SpecCtorFailNoUnlock ==
  /\ HInit /\ [][HNextOf(StepCtorFailNoUnlock)]_hvars
  /\ \A p \in Procs : WF_vars(StepCtorFailNoUnlock(p))
  /\ WF_vars(Reclaim)
=============================================================================
