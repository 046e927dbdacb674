---------------------------- MODULE ShadowContract ---------------------------
(***************************************************************************)
(* The caller contract of the shadow-variable API, shown necessary.       *)
(*                                                                         *)
(* 1. Data returned by get stays valid only while nobody frees it.  The   *)
(*    kernel's klp_shadow_get returns a pointer after rcu_read_unlock: a  *)
(*    caller that dereferences it later relies on the caller contract     *)
(*    "no free of a key while a caller still uses its data".  Here a      *)
(*    caller keeps using the entry get returned (using[p]) until its own  *)
(*    Use step, its last read of the data.  DataInUseNotReclaimed says    *)
(*    that data is never reclaimed while in use.  Without the contract    *)
(*    (ContractAssumed = FALSE) a concurrent free breaks it; with the     *)
(*    contract as an assumption on the callers (a call that would break   *)
(*    it is not made) it holds.                                            *)
(*                                                                         *)
(* 2. Constructors and destructors run under klp_shadow_lock, which is    *)
(*    not recursive: one that calls back into alloc/free deadlocks (TLC   *)
(*    reports the deadlock).  The Java implementation detects this and    *)
(*    throws IllegalStateException instead (ShadowVariablesTest).          *)
(***************************************************************************)
EXTENDS MCMutants

CONSTANT ContractAssumed  \* TRUE: callers keep the contract (see ContractAllows)

VARIABLE using  \* using[p]: the entry whose data p's caller still uses after
                \* get returned it, or Nil

(* Every variable: the algorithm's, its history and the caller's. *)
cvars == <<hvars, using>>

(* The key of an entry (its fields stay set after it is unlinked: entries *)
(* are never reused once published).                                       *)
EKey(e) == <<eobj[e], eid[e]>>

(* q's caller holds on to key k's data: q is inside a get of k, or uses   *)
(* the data a get of k returned.                                            *)
UsesKey(q, k) ==
  \/ Busy(q) /\ op[q].op = "get" /\ KeyOf(op[q]) = k
  \/ using[q] # Nil /\ EKey(using[q]) = k

(* q is inside a free of key k, or a freeAll of k's id. *)
FreesKey(q, k) ==
  Busy(q) /\ \/ op[q].op = "free" /\ KeyOf(op[q]) = k
             \/ op[q].op = "freeAll" /\ op[q].id = k[2]

(* The contract, as a condition on p calling operation o: no free of a   *)
(* key whose data another caller holds on to, and no get of a key while  *)
(* another caller frees it.                                                 *)
ContractAllows(p, o) ==
  \A q \in Procs \ {p} :
    /\ o.op = "free" => ~UsesKey(q, KeyOf(o))
    /\ o.op = "freeAll" => \A ob \in Objs : ~UsesKey(q, <<ob, o.id>>)
    /\ o.op = "get" => ~FreesKey(q, KeyOf(o))

-----------------------------------------------------------------------------
(* The algorithm with callers that use the data get returns. *)

CInit == HInit /\ using = [p \in Procs |-> Nil]

(* p calls its next operation once it has stopped using earlier data,    *)
(* and (under the contract) only if the contract allows the call.         *)
CCall(p) ==
  /\ using[p] = Nil
  /\ CallNext(p)
  /\ ContractAssumed => ContractAllows(p, op'[p])
  /\ UNCHANGED using

(* get returns: its caller now uses the entry found (if any). *)
CGUnlock(p) ==
  /\ g_unlock(p) /\ UNCHANGED nOps
  /\ using' = IF op[p].op = "get" /\ cur[p] # Nil
                THEN [using EXCEPT ![p] = cur[p]] ELSE using

(* The caller's last read of the data get returned; it stops using it. *)
Use(p) ==
  /\ using[p] # Nil
  /\ using' = [using EXCEPT ![p] = Nil]
  /\ UNCHANGED hvars

(* Every other step of p is Shadow's, leaving using alone. *)
COther(p) ==
  /\ pc[p] \notin {"idle", "g_unlock"}
  /\ Step(p)
  /\ UNCHANGED using

(* A step of p's thread, with the history of ShadowAux. *)
CStep(p) == (CCall(p) \/ CGUnlock(p) \/ COther(p)) /\ HStep(p)

CNext ==
  \/ \E p \in Procs : CStep(p) \/ Use(p)
  \/ Reclaim /\ UNCHANGED <<auxVars, using>>
  \/ Finished /\ UNCHANGED <<auxVars, using>>

CSpec == CInit /\ [][CNext]_cvars

(* The data a caller still uses has not been reclaimed (its use reads    *)
(* live memory).                                                            *)
DataInUseNotReclaimed ==
  \A p \in Procs : using[p] # Nil => estate[using[p]] # "reclaimed"

-----------------------------------------------------------------------------
(* Constructor / destructor calling back into alloc / free.               *)

(* The constructor calls klp_shadow_alloc (or get_or_alloc); after its    *)
(* pre-check and allocation, that call's spin_lock_irqsave is the next    *)
(* step that matters: cb_lock.                                              *)
a_ctor_reenter(p) ==
  /\ pc[p] = "a_ctor"
  /\ pc' = [pc EXCEPT ![p] = "cb_lock"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, heapVars, using>>

(* The destructor calls klp_shadow_free: its spin_lock_irqsave is cb_lock. *)
dtor_reenter(p) ==
  /\ pc[p] \in {"f_dtor", "fa_dtor"}
  /\ pc' = [pc EXCEPT ![p] = "cb_lock"]
  /\ UNCHANGED <<op, nOps, cur, new, bkt, ret, heapVars, using>>

(* spin_lock_irqsave(&klp_shadow_lock) inside the callback: the lock is  *)
(* not recursive, so it waits for lock = Nil, and p itself holds it.       *)
(* (What follows the lock is not modelled: it is never reached.)          *)
cb_lock(p) ==
  /\ pc[p] = "cb_lock"
  /\ lock = Nil
  /\ lock' = p
  /\ UNCHANGED <<pc, op, nOps, cur, new, bkt, ret, inRead, head, next, eobj, eid,
                 estate, waitFor, using>>

(* The algorithm with a constructor (kind = "ctor") or a destructor       *)
(* (kind = "dtor") that calls back into the API.                          *)
(* (The callback has not returned: no history update for the ctor or dtor.) *)
ReenterStep(p, kind) ==
  \/ /\ \/ CCall(p) \/ CGUnlock(p) \/ cb_lock(p)
        \/ IF kind = "ctor" THEN pc[p] # "a_ctor" /\ COther(p)
                            ELSE pc[p] \notin {"f_dtor", "fa_dtor"} /\ COther(p)
     /\ HStep(p)
  \/ /\ IF kind = "ctor" THEN a_ctor_reenter(p) ELSE dtor_reenter(p)
     /\ UNCHANGED auxVars

CtorReenterNext ==
  \/ \E p \in Procs : ReenterStep(p, "ctor")
  \/ Reclaim /\ UNCHANGED <<auxVars, using>>
  \/ Finished /\ UNCHANGED <<auxVars, using>>
DtorReenterNext ==
  \/ \E p \in Procs : ReenterStep(p, "dtor")
  \/ Reclaim /\ UNCHANGED <<auxVars, using>>
  \/ Finished /\ UNCHANGED <<auxVars, using>>

CtorReenterSpec == CInit /\ [][CtorReenterNext]_cvars
DtorReenterSpec == CInit /\ [][DtorReenterNext]_cvars
=============================================================================
