----------------------------- MODULE MCShadow -------------------------------
(***************************************************************************)
(* Model values for the TLC models in model-check/*.cfg: the names of the *)
(* threads, objects and ids, and the constant functions (hash, scripts)   *)
(* a .cfg file cannot write down.  A .cfg chooses among them with "<-".   *)
(* No model size is fixed here: the sets are given in each .cfg.          *)
(***************************************************************************)
EXTENDS ShadowProperties, TLC

CONSTANTS p1, p2, p3,  \* thread names
          o1, o2,      \* object names
          i1, i2       \* id names

(* Every object in bucket 0 (a collision). *)
HashOneBucket == [o \in Objs |-> 0]

(* o1 in bucket 0, every other object in bucket 1. *)
HashTwoBuckets == [o \in Objs |-> IF o = o1 THEN 0 ELSE 1]

(* Every thread chooses its operations freely (within Budget). *)
ScriptFree == [p \in Procs |-> <<>>]

(* Operation records. *)
Get(o, i) == [op |-> "get", obj |-> o, id |-> i]
Alloc(o, i) == [op |-> "alloc", obj |-> o, id |-> i]
GetOrAlloc(o, i) == [op |-> "getOrAlloc", obj |-> o, id |-> i]
Free(o, i) == [op |-> "free", obj |-> o, id |-> i]
FreeAll(i) == [op |-> "freeAll", obj |-> Nil, id |-> i]

(* p1 allocates <o1,i1> and <o2,i1>, then frees all of id i1; p2 reads   *)
(* <o1,i1> and then <o2,i1> (the freeAll atomicity counterexample).       *)
ScriptFreeAllRace ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Alloc(o2, i1), FreeAll(i1)>>
                   ELSE <<Get(o1, i1), Get(o2, i1)>>]

(* p1 allocates <o1,i1> and <o2,i1> (one bucket: chain o2 -> o1) and    *)
(* frees <o2,i1>; p2 looks up <o1,i1> (a reader passing an unlinked       *)
(* entry to a live one).                                                   *)
ScriptReaderPasses ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Alloc(o2, i1), Free(o2, i1)>>
                   ELSE <<Get(o1, i1)>>]

(* p1 allocates <o1,i1> and <o2,i1>; p2 frees all of id i1 (one freeAll *)
(* removing two entries of one bucket).                                    *)
ScriptTwoThenFreeAll ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Alloc(o2, i1)>>
                   ELSE <<FreeAll(i1)>>]

(* p1 allocates <o1,i1> and frees it; p2 looks it up (a reader racing   *)
(* with free: standing on or returning an unlinked, destructed entry,     *)
(* holding back its reclaim).                                              *)
ScriptAllocFreeVsGet ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1), Free(o1, i1)>>
                   ELSE <<Get(o1, i1)>>]

(* p1 allocates <o1,i1>; p2 calls getOrAlloc on it (the allocation race). *)
ScriptAllocRace ==
  [p \in Procs |-> IF p = p1 THEN <<Alloc(o1, i1)>> ELSE <<GetOrAlloc(o1, i1)>>]

(* Symmetry (safety-only models): the threads are interchangeable when   *)
(* all choose freely, the objects when they share one bucket, the ids     *)
(* always.  (Entries need none: the allocator is deterministic.)          *)
SymProcsIds == Permutations(Procs) \cup Permutations(Ids)
SymProcsObjs == Permutations(Procs) \cup Permutations(Objs)
=============================================================================
