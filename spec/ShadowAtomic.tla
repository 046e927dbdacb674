---------------------------- MODULE ShadowAtomic ----------------------------
(***************************************************************************)
(* The abstract specification of the kernel's shadow variables            *)
(* (kernel/livepatch/shadow.c): what a caller may observe, with no hash   *)
(* table, no lock and no RCU.                                              *)
(*                                                                         *)
(* The table is a map amap from keys <<obj, id>> to data (or Nil).  Each  *)
(* process (thread) runs one operation at a time.  An operation has an    *)
(* interval: it is called (Call), it may change the map in atomic steps   *)
(* (Insert, Remove, RemoveOne), and it returns a result (Return).         *)
(*                                                                         *)
(* Linearizability is expressed with a per-operation history: seen[p] is  *)
(* the set of values amap[key] held at some moment of p's interval.  A    *)
(* lock-free get may return any value in seen[p]; for an operation that   *)
(* reads the map once this is the same as a get that takes effect at one  *)
(* atomic point, and it lets the algorithm refine this spec without       *)
(* prophecy variables.  Writers take effect in one atomic abstract step   *)
(* each: alloc/getOrAlloc insert, free removes one key, and freeAll       *)
(* removes its keys ONE AT A TIME (it is not atomic with respect to       *)
(* lock-free readers in the C code; see ShadowProperties!FreeAllAtomic).  *)
(*                                                                         *)
(* Destructor calls are observable: a free or freeAll that removes data  *)
(* owes its destructor call (dtorDue), makes it in a step of its own      *)
(* (Dtor) before it returns, and dtorRan is the set of data whose         *)
(* destructor has run.  Data is inserted only fresh: never data whose     *)
(* destructor has run or is owed, so each destructor runs at most once.   *)
(***************************************************************************)
EXTENDS ShadowOps, Naturals, FiniteSets, TLC

CONSTANTS
    Procs,      \* the threads calling the table
    Data,       \* the possible data pointers
    DtorGiven   \* TRUE when free/freeAll are called with a destructor

(* The operations, keys, results and the results an operation may        *)
(* return (AllowedResults) are module ShadowOps's, shared with Shadow.     *)

(* A result: the operation, the value returned, why, and how many times   *)
(* the constructor ran during the operation.  NoRet: nothing returned yet.*)
Results == [op : OpNames, val : Data \cup {Nil}, why : Whys, ctors : 0..1]
NoRet == [op |-> "none", val |-> Nil, why |-> "none", ctors |-> 0]

VARIABLES
    amap,     \* the table: [Keys -> Data \cup {Nil}]
    aop,      \* aop[p]: the operation p has in progress, or NoOp
    seen,     \* seen[p]: the values p's key held since p's call began ({} when idle)
    eff,      \* eff[p]: the data p's current operation inserted/removed, or Nil
    ret,      \* ret[p]: the result p's last operation returned, or NoRet
    dtorRan,  \* the data whose destructor has run
    dtorDue   \* dtorDue[p]: the data p's free/freeAll removed, destructor not yet run

(* All variables of the abstract spec. *)
avars == <<amap, aop, seen, eff, ret, dtorRan, dtorDue>>

(* The set of values in the map. *)
Range(m) == {m[k] : k \in DOMAIN m}

(* The data whose destructor has run or is owed. *)
Destructed == dtorRan \cup UNION {dtorDue[q] : q \in Procs}

(* dtorDue after p removes data d: p owes its destructor call, if given. *)
Owe(p, d) == IF DtorGiven THEN [dtorDue EXCEPT ![p] = @ \cup {d}] ELSE dtorDue

(* The history sets after the map becomes m2: every process with a keyed  *)
(* operation in progress adds the value its key now holds.                *)
SeenAfter(m2) ==
  [q \in Procs |-> IF aop[q].op \in {"get", "alloc", "getOrAlloc", "free"}
                     THEN seen[q] \cup {m2[KeyOf(aop[q])]}
                     ELSE seen[q]]

(* The type invariant. *)
ATypeOK ==
  /\ amap \in [Keys -> Data \cup {Nil}]
  /\ aop \in [Procs -> Ops \cup {NoOp}]
  /\ seen \in [Procs -> SUBSET (Data \cup {Nil})]
  /\ eff \in [Procs -> Data \cup {Nil}]
  /\ ret \in [Procs -> Results \cup {NoRet}]
  /\ dtorRan \subseteq Data
  /\ dtorDue \in [Procs -> SUBSET Data]

(* The table starts empty, no operation in progress. *)
AInit ==
  /\ amap = [k \in Keys |-> Nil]
  /\ aop = [p \in Procs |-> NoOp]
  /\ seen = [p \in Procs |-> {}]
  /\ eff = [p \in Procs |-> Nil]
  /\ ret = [p \in Procs |-> NoRet]
  /\ dtorRan = {}
  /\ dtorDue = [p \in Procs |-> {}]

(* p calls operation o: its history starts with the value its key holds; *)
(* the previous result is forgotten.                                       *)
Call(p, o) ==
  /\ aop[p] = NoOp
  /\ aop' = [aop EXCEPT ![p] = o]
  /\ seen' = [seen EXCEPT ![p] = IF o.op = "freeAll" THEN {}
                                  ELSE {amap[KeyOf(o)]}]
  /\ eff' = [eff EXCEPT ![p] = Nil]
  /\ ret' = [ret EXCEPT ![p] = NoRet]
  /\ UNCHANGED <<amap, dtorRan, dtorDue>>

(* alloc/getOrAlloc inserts new data d when its key is absent (at most    *)
(* once per operation); d is fresh: not in the map, not destructed.        *)
Insert(p, d) ==
  /\ aop[p].op \in {"alloc", "getOrAlloc"}
  /\ eff[p] = Nil
  /\ eff' = [eff EXCEPT ![p] = d]
  /\ amap[KeyOf(aop[p])] = Nil
  /\ d \notin Range(amap) \cup Destructed
  /\ amap' = [amap EXCEPT ![KeyOf(aop[p])] = d]
  /\ seen' = SeenAfter(amap')
  /\ UNCHANGED <<aop, ret, dtorRan, dtorDue>>

(* free removes its key's data (at most once per operation); it owes the *)
(* destructor call on it (if a destructor is given).                       *)
Remove(p) ==
  LET k == KeyOf(aop[p]) IN
  /\ aop[p].op = "free"
  /\ eff[p] = Nil
  /\ amap[k] # Nil
  /\ amap' = [amap EXCEPT ![k] = Nil]
  /\ seen' = SeenAfter(amap')
  /\ eff' = [eff EXCEPT ![p] = amap[k]]
  /\ dtorDue' = Owe(p, amap[k])
  /\ UNCHANGED <<aop, ret, dtorRan>>

(* freeAll removes ONE key with its id, in its own atomic step. *)
RemoveOne(p, o) ==
  LET k == <<o, aop[p].id>> IN
  /\ aop[p].op = "freeAll"
  /\ amap[k] # Nil
  /\ amap' = [amap EXCEPT ![k] = Nil]
  /\ seen' = SeenAfter(amap')
  /\ dtorDue' = Owe(p, amap[k])
  /\ UNCHANGED <<aop, eff, ret, dtorRan>>

(* p's destructor call on data d it removed. *)
Dtor(p, d) ==
  /\ d \in dtorDue[p]
  /\ dtorDue' = [dtorDue EXCEPT ![p] = @ \ {d}]
  /\ dtorRan' = dtorRan \cup {d}
  /\ UNCHANGED <<amap, aop, seen, eff, ret>>

(* p returns result r, which its history must allow (see ANext); the     *)
(* result stays in ret until p's next call, the history is cleared.      *)
(* freeAll returns only when no key with its id remains; free and freeAll *)
(* return only after the destructor calls they owe.                        *)
Return(p, r) ==
  /\ aop[p] # NoOp
  /\ dtorDue[p] = {}
  /\ aop[p].op = "freeAll" => \A o \in Objs : amap[<<o, aop[p].id>>] = Nil
  /\ aop' = [aop EXCEPT ![p] = NoOp]
  /\ ret' = [ret EXCEPT ![p] = r]
  /\ seen' = [seen EXCEPT ![p] = {}]
  /\ eff' = [eff EXCEPT ![p] = Nil]
  /\ UNCHANGED <<amap, dtorRan, dtorDue>>

(* A step of process p: it calls, inserts, removes, or returns a result   *)
(* its history allows.                                                      *)
AStep(p) ==
  \/ \E o \in Ops : Call(p, o)
  \/ \E d \in Data : Insert(p, d)
  \/ Remove(p)
  \/ \E o \in Objs : RemoveOne(p, o)
  \/ \E d \in dtorDue[p] : Dtor(p, d)
  \/ \E r \in AllowedResults(aop[p].op, seen[p], eff[p]) : Return(p, r)

ANext == \E p \in Procs : AStep(p)

(* The abstract specification: safety only.  (Liveness is stated and     *)
(* checked on the algorithm, module ShadowProperties.)                     *)
ASpec == AInit /\ [][ANext]_avars

(* Symmetry for models of this spec alone: threads, data values. *)
ASym == Permutations(Procs) \cup Permutations(Data)

(* At most one data per key, and no data under two keys. *)
AUniqueData ==
  \A k1, k2 \in Keys : k1 # k2 /\ amap[k1] # Nil => amap[k1] # amap[k2]
=============================================================================
