------------------------------ MODULE ShadowLive ------------------------------
(***************************************************************************)
(* Liveness beyond deadlock freedom, on the algorithm of module Shadow.   *)
(*                                                                         *)
(* With a fixed number of operations per thread and no reuse of entries, *)
(* Termination and GracePeriodsEnd of ShadowProperties follow from TLC's  *)
(* deadlock check (proofs-notes.md says why).  Here threads run for ever:  *)
(*   - Loopers (readers, or writers that free an absent key) call their   *)
(*     one operation again and again; the call does not count (nOps stays *)
(*     0), so the state space stays finite.  The other threads run their  *)
(*     Script once (no reuse of reclaimed entries is needed).              *)
(*   - Fairness is weak fairness of each labelled action of each thread,   *)
(*     and of the RCU callback: not of a thread's step as a whole.         *)
(* Checked: every call returns (OpsComplete); every grace period ends     *)
(* while new readers keep entering (EntriesReclaimed); no waiter for      *)
(* klp_shadow_lock starves (NoLockStarvation) with the spinlock as a      *)
(* ticket lock, the queued lock Linux spinlocks are.                        *)
(* Mutants: a grace period that also waits for readers that entered after *)
(* it started (GPWaitsForNewReaders); a test-and-set lock (Shadow's own   *)
(* lock steps) under the same fairness.                                    *)
(***************************************************************************)
EXTENDS Shadow, TLC

CONSTANTS p1, p2, p3, o1, o2, i1, i2,
          Loopers   \* the threads that call their operation for ever

VARIABLES
    tnext,   \* the next ticket of the ticket lock (modulo NT)
    serving, \* the ticket now served
    ticket   \* ticket[p]: the ticket p holds while waiting, or Nil

tvars == <<tnext, serving, ticket>>
lvars == <<vars, tvars>>

NT == Cardinality(Procs) + 1

Get(o, i) == [op |-> "get", obj |-> o, id |-> i]
Alloc(o, i) == [op |-> "alloc", obj |-> o, id |-> i]
Free(o, i) == [op |-> "free", obj |-> o, id |-> i]

(* Every object in bucket 0. *)
HashZero == [o \in Objs |-> 0]

(* p1 allocates <o1,i1> and frees it; p2 and p3 look it up for ever. *)
ScriptReaders ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Free(o1, i1)>>
                   ELSE <<Get(o1, i1)>>]

(* Every thread frees the absent <o1,i1> for ever (lock, walk, unlock). *)
ScriptWriters == [p \in Procs |-> <<Free(o1, i1)>>]

-----------------------------------------------------------------------------
(* A looper calls its operation again: as Shadow's Call, nOps unchanged. *)
LoopCall(p) ==
  /\ p \in Loopers
  /\ pc[p] = "idle"
  /\ op' = [op EXCEPT ![p] = Script[p][1]]
  /\ pc' = [pc EXCEPT ![p] =
              CASE Script[p][1].op \in {"get", "alloc", "getOrAlloc"} -> "g_lock"
                [] Script[p][1].op = "free" -> "f_lock"
                [] Script[p][1].op = "freeAll" -> "fa_lock"]
  /\ ret' = [ret EXCEPT ![p] = NoRet]
  /\ UNCHANGED <<nOps, cur, new, bkt, heapVars>>

-----------------------------------------------------------------------------
(* Grace periods while readers keep entering (test-and-set lock: Shadow's *)
(* own; the ticket variables stay unused).                                  *)

LStep(p) == IF p \in Loopers THEN (pc[p] # "idle" /\ Step(p)) \/ LoopCall(p)
                             ELSE Step(p)

LNext == (\E p \in Procs : LStep(p)) \/ rcu_reclaim \/ Finished

LInit == Init /\ tnext = 0 /\ serving = 0 /\ ticket = [p \in Procs |-> Nil]

LSpec ==
  /\ LInit /\ [][LNext /\ UNCHANGED tvars]_lvars
  /\ \A p \in Procs :
       /\ WF_vars(Call(p)) /\ WF_vars(LoopCall(p))
       /\ WF_vars(g_lock(p)) /\ WF_vars(g_walk(p)) /\ WF_vars(g_unlock(p))
       /\ WF_vars(a_alloc(p)) /\ WF_vars(a_lock(p)) /\ WF_vars(a_recheck(p))
       /\ WF_vars(a_exists_unlock(p)) /\ WF_vars(a_kfree(p)) /\ WF_vars(a_set(p))
       /\ WF_vars(a_ctor(p)) /\ WF_vars(a_ctor_fail_unlock(p))
       /\ WF_vars(a_ctor_fail_kfree(p)) /\ WF_vars(a_publish(p)) /\ WF_vars(a_unlock(p))
       /\ WF_vars(f_lock(p)) /\ WF_vars(f_walk(p)) /\ WF_vars(f_del(p))
       /\ WF_vars(f_dtor(p)) /\ WF_vars(f_kfree_rcu(p)) /\ WF_vars(f_unlock(p))
       /\ WF_vars(fa_lock(p)) /\ WF_vars(fa_walk(p)) /\ WF_vars(fa_del(p))
       /\ WF_vars(fa_dtor(p)) /\ WF_vars(fa_kfree_rcu(p)) /\ WF_vars(fa_next(p))
       /\ WF_vars(fa_unlock(p))
  /\ WF_vars(rcu_reclaim)

(* Mutant GPWaitsForNewReaders: rcu_read_lock also adds the reader to the *)
(* grace periods already started (as if a grace period waited for every   *)
(* reader until it sees none inside).                                       *)
g_lock_GPWaitsForNewReaders(p) ==
  LET h == head[Hash[op[p].obj]] IN
  /\ pc[p] = "g_lock"
  /\ inRead' = [inRead EXCEPT ![p] = TRUE]
  /\ cur' = [cur EXCEPT ![p] = h]
  /\ pc' = [pc EXCEPT ![p] = IF h = Nil THEN "g_unlock" ELSE "g_walk"]
  /\ UNCHANGED <<op, nOps, new, bkt, ret, lock, head, next, eobj, eid, estate>>
  /\ waitFor' = [e \in Entries |-> IF estate[e] = "gp_wait" THEN waitFor[e] \cup {p}
                                                           ELSE waitFor[e]]

StepGPWaitsForNewReaders(p) ==
  (pc[p] # "g_lock" /\ LStep(p)) \/ g_lock_GPWaitsForNewReaders(p)

LSpecGPWaitsForNewReaders ==
  /\ LInit
  /\ [][((\E p \in Procs : StepGPWaitsForNewReaders(p)) \/ rcu_reclaim \/ Finished)
        /\ UNCHANGED tvars]_lvars
  /\ \A p \in Procs :
       /\ WF_vars(Call(p)) /\ WF_vars(LoopCall(p))
       /\ WF_vars(g_lock_GPWaitsForNewReaders(p)) /\ WF_vars(g_walk(p))
       /\ WF_vars(g_unlock(p))
       /\ WF_vars(a_alloc(p)) /\ WF_vars(a_lock(p)) /\ WF_vars(a_recheck(p))
       /\ WF_vars(a_exists_unlock(p)) /\ WF_vars(a_kfree(p)) /\ WF_vars(a_set(p))
       /\ WF_vars(a_ctor(p)) /\ WF_vars(a_ctor_fail_unlock(p))
       /\ WF_vars(a_ctor_fail_kfree(p)) /\ WF_vars(a_publish(p)) /\ WF_vars(a_unlock(p))
       /\ WF_vars(f_lock(p)) /\ WF_vars(f_walk(p)) /\ WF_vars(f_del(p))
       /\ WF_vars(f_dtor(p)) /\ WF_vars(f_kfree_rcu(p)) /\ WF_vars(f_unlock(p))
  /\ WF_vars(rcu_reclaim)

-----------------------------------------------------------------------------
(* The spinlock as a ticket lock, for free (the writers' operation here): *)
(* f_ticket takes the next ticket, f_lock waits until it is served, the   *)
(* unlock serves the next one.                                              *)
f_ticket(p) ==
  /\ pc[p] = "f_lock" /\ ticket[p] = Nil
  /\ ticket' = [ticket EXCEPT ![p] = tnext]
  /\ tnext' = (tnext + 1) % NT
  /\ UNCHANGED <<vars, serving>>

f_lock_Ticket(p) ==
  /\ ticket[p] # Nil /\ serving = ticket[p]
  /\ f_lock(p)
  /\ ticket' = [ticket EXCEPT ![p] = Nil]
  /\ UNCHANGED <<tnext, serving>>

f_unlock_Ticket(p) ==
  /\ f_unlock(p)
  /\ serving' = (serving + 1) % NT
  /\ UNCHANGED <<tnext, ticket>>

TStep(p) ==
  \/ LoopCall(p) /\ UNCHANGED tvars
  \/ f_ticket(p) \/ f_lock_Ticket(p) \/ f_unlock_Ticket(p)
  \/ (f_walk(p) \/ f_del(p) \/ f_dtor(p) \/ f_kfree_rcu(p)) /\ UNCHANGED tvars

TSpec ==
  /\ LInit /\ [][\E p \in Procs : TStep(p)]_lvars
  /\ \A p \in Procs :
       /\ WF_lvars(LoopCall(p) /\ UNCHANGED tvars)
       /\ WF_lvars(f_ticket(p)) /\ WF_lvars(f_lock_Ticket(p))
       /\ WF_lvars(f_walk(p) /\ UNCHANGED tvars) /\ WF_lvars(f_unlock_Ticket(p))

(* Mutant: test-and-set (Shadow's f_lock), same fairness per action. *)
SStep(p) ==
  (LoopCall(p) \/ f_lock(p) \/ f_walk(p) \/ f_unlock(p)) /\ UNCHANGED tvars

SSpec ==
  /\ LInit /\ [][\E p \in Procs : SStep(p)]_lvars
  /\ \A p \in Procs :
       /\ WF_lvars(LoopCall(p) /\ UNCHANGED tvars)
       /\ WF_lvars(f_lock(p) /\ UNCHANGED tvars)
       /\ WF_lvars(f_walk(p) /\ UNCHANGED tvars)
       /\ WF_lvars(f_unlock(p) /\ UNCHANGED tvars)

-----------------------------------------------------------------------------
(* Properties. *)

(* Every call returns. *)
OpsComplete == \A p \in Procs : Busy(p) ~> ~Busy(p)

(* Every entry handed to kfree_rcu is reclaimed, while readers keep       *)
(* entering their read-side sections.                                       *)
EntriesReclaimed == \A e \in Entries : estate[e] = "gp_wait" ~> estate[e] = "reclaimed"

(* A reader enters its read-side section while a grace period it is not *)
(* owed to is pending (a witness that new readers keep entering: TLC must  *)
(* violate it).                                                             *)
Witness_NewReaderDuringGP ==
  ~ \E e \in Entries, p \in Loopers :
      estate[e] = "gp_wait" /\ pc[p] \in {"g_walk", "g_unlock"} /\ p \notin waitFor[e]

(* No thread waiting for klp_shadow_lock waits for ever. *)
NoLockStarvation == \A p \in Procs : pc[p] = "f_lock" ~> lock = p
=============================================================================
