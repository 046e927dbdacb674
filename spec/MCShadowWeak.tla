---------------------------- MODULE MCShadowWeak ----------------------------
(***************************************************************************)
(* The models of the weak table (module ShadowWeak) and of its seeded     *)
(* bugs (ShadowWeakMutants): model-check/Weak*.cfg.  Model values and     *)
(* scripts as in MCShadow and MCMutants.                                   *)
(***************************************************************************)
EXTENDS MCShadow, ShadowWeakMutants

(* An expunge call. *)
Expunge == ExpungeOp

(* p1 allocates <o1,i1> and <o2,i1>, then expunges; p2 looks up <o2,i1>  *)
(* (o1 may die after p1's allocation: a reader walks past its entry, an   *)
(* expunge unlinks it, the reader may stand on it meanwhile).              *)
ScriptWeakExpungeVsGet ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Alloc(o2, i1), Expunge>>
                   ELSE <<Get(o2, i1)>>]

(* One thread allocates <o1,i1> and then <o2,i1> (o1 may die in between: *)
(* the second alloc expunges it, (2)).                                     *)
ScriptWeakAllocAlloc == [p \in Procs |-> <<Alloc(o1, i1), Alloc(o2, i1)>>]

(* p1 allocates <o1,i1>; p2 frees all of id i1 (o1 may die while p2's    *)
(* freeAll holds the lock, (3)).                                           *)
ScriptWeakAllocVsFreeAll ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1)>> ELSE <<FreeAll(i1)>>]

(* p1 allocates <o1,i1> and <o2,i1>; p2 expunges (a live entry must      *)
(* survive the expunge).                                                   *)
ScriptWeakAllocVsExpunge ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Get(o1, i1)>>
                   ELSE <<Expunge>>]

(* p1 allocates <o1,i1> and expunges; p2 expunges (two expunges racing). *)
ScriptWeakTwoExpunges ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Expunge>> ELSE <<Expunge>>]
=============================================================================
