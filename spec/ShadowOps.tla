------------------------------ MODULE ShadowOps ------------------------------
(***************************************************************************)
(* The operations of the shadow-variable API and the results they may     *)
(* return: the vocabulary that the abstract specification (ShadowAtomic)  *)
(* and the algorithm (Shadow) share.                                       *)
(***************************************************************************)
EXTENDS Naturals

CONSTANTS
    Objs,       \* the parent objects (obj pointers)
    Ids,        \* the shadow variable ids
    Nil,        \* the NULL pointer, also "no value"
    CtorGiven,  \* TRUE when alloc/getOrAlloc are called with a constructor
    AllocFail,  \* TRUE when the allocation of a new entry may fail
    CtorFail    \* TRUE when the constructor may fail (return non-zero)

(* A key identifies a shadow variable. *)
Keys == Objs \X Ids

(* The operations a caller can start.  freeAll has an id but no obj; we   *)
(* give it obj |-> Nil.                                                     *)
OpNames == {"get", "alloc", "getOrAlloc", "free", "freeAll", "expunge"}
Ops == [op : {"get", "alloc", "getOrAlloc", "free"}, obj : Objs, id : Ids]
       \cup [op : {"freeAll"}, obj : {Nil}, id : Ids]

(* The weak table's own operation (module ShadowWeak): unlink the entries *)
(* of dead objects.  It has neither obj nor id, and it is not in Ops: the  *)
(* strong table has no such call.                                           *)
ExpungeOp == [op |-> "expunge", obj |-> Nil, id |-> Nil]

(* NoOp marks a process with no operation in progress. *)
NoOp == [op |-> "none", obj |-> Nil, id |-> Nil]

(* The key an operation works on (not meaningful for freeAll). *)
KeyOf(o) == <<o.obj, o.id>>

(* Why an operation returned what it returned:                            *)
(*   "value"     get: the value read (data or Nil)                        *)
(*   "new"       alloc/getOrAlloc inserted new data                       *)
(*   "exists"    getOrAlloc found existing data (constructor not called)  *)
(*   "dup"       alloc found existing data: WARN, returns Nil             *)
(*   "allocFail" the allocation failed: returns Nil                       *)
(*   "ctorFail"  the constructor ran once and failed: returns Nil         *)
(*   "done"      free/freeAll/expunge (no return value)                   *)
Whys == {"value", "new", "exists", "dup", "allocFail", "ctorFail", "done"}

(***************************************************************************)
(* AllowedResults(o, s, e): the results an operation named o may return  *)
(* when s is its history (the values its key held during its interval)   *)
(* and e its own abstract effect (the data it inserted or removed, else  *)
(* Nil).  This is the linearizability condition; the algorithm's         *)
(* Linearizable invariant uses the same definition.                        *)
(***************************************************************************)
(* The result record of operation o: value v, reason why, c ctor calls. *)
Rec(o, v, why, c) == [op |-> o, val |-> v, why |-> why, ctors |-> c]

AllowedResults(o, s, e) ==
  CASE o = "get" ->
         \* a value the key held at some moment of the call
         {Rec(o, v, "value", 0) : v \in s}
    [] o \in {"alloc", "getOrAlloc"} ->
         \* new data, inserted by this operation's own Insert step; the
         \* constructor (if given) ran once
         (IF e # Nil THEN {Rec(o, e, "new", IF CtorGiven THEN 1 ELSE 0)}
                     ELSE {})
         \cup
         \* getOrAlloc: data that existed at some moment, ctor not called
         (IF o = "getOrAlloc" /\ e = Nil
            THEN {Rec(o, v, "exists", 0) : v \in s \ {Nil}} ELSE {})
         \cup
         \* alloc: the key was present at some moment: WARN, Nil, no ctor
         (IF o = "alloc" /\ e = Nil /\ (s \ {Nil}) # {}
            THEN {Rec(o, Nil, "dup", 0)} ELSE {})
         \cup
         \* allocation failure: only if the key was absent at some moment
         \* of the call (for getOrAlloc the lockless pre-check ensures it)
         (IF AllocFail /\ e = Nil /\ Nil \in s
            THEN {Rec(o, Nil, "allocFail", 0)} ELSE {})
         \cup
         \* constructor failure: the ctor ran once; the key was absent
         (IF CtorGiven /\ CtorFail /\ e = Nil /\ Nil \in s
            THEN {Rec(o, Nil, "ctorFail", 1)} ELSE {})
    [] o = "free" ->
         \* it removed the key's data, or the key was absent at some moment
         IF e # Nil \/ Nil \in s THEN {Rec(o, Nil, "done", 0)} ELSE {}
    [] o = "freeAll" -> {Rec(o, Nil, "done", 0)}
    \* expunge changes no key of a live object (how many entries it unlinked
    \* is not part of the abstract result)
    [] o = "expunge" -> {Rec(o, Nil, "done", 0)}
    [] OTHER -> {}

(* Result r is allowed for operation o with history s and effect e. *)
Allowed(o, r, s, e) == r \in AllowedResults(o, s, e)
=============================================================================
