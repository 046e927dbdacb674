------------------------------ MODULE CorpusGen ------------------------------
(***************************************************************************)
(* Generates the conformance corpus (model-check/CORPUS.md) from the      *)
(* abstract spec ShadowAtomic: ONE caller runs a sequence of operations,   *)
(* and the history variable trace records each completed operation: its   *)
(* input (op, obj, id) and what the caller observed (why, the value        *)
(* returned, the constructor call, the destructor calls).  Every step is   *)
(* a step of ShadowAtomic; this module only chooses the caller, numbers    *)
(* the data deterministically and records.  TLC enumerates the traces      *)
(* exhaustively (-dump) or at random (-simulate); the Java generator       *)
(* (io.github.shadowvars.kit.CorpusGenerator) turns them into corpus lines.        *)
(***************************************************************************)
EXTENDS ShadowAtomic, Sequences

CONSTANTS
    Caller,   \* the one process that runs the operations (an element of Procs)
    MaxOps    \* the number of operations per trace

VARIABLES
    trace,    \* the completed operations, in order (a sequence of TraceLine records)
    before    \* the map as it was when the current operation was called

(* All variables of the generator. *)
gvars == <<avars, trace, before>>

(* The data values: the k-th successful alloc/getOrAlloc of a trace       *)
(* inserts data k, so a trace has one numbering (no renamed copies).       *)
(* The model's Data constant is set to GenData in the .cfg.                *)
GenData == 1..MaxOps

(* The data the next Insert uses: one more than the new data so far. *)
FreshData == Len(SelectSeq(trace, LAMBDA t : t.why = "new")) + 1

(* The destructor calls of the operation now returning: one <<obj, data>> *)
(* per key that held data at the call and holds none now (only free and   *)
(* freeAll remove, and no operation both inserts and removes).             *)
DtorCalls ==
  IF DtorGiven
    THEN {<<k[1], before[k]>> : k \in {k \in Keys : before[k] # Nil /\ amap[k] = Nil}}
    ELSE {}

(* The trace line of operation o returning result r: its input, why it    *)
(* returned what it returned, the value, the obj the constructor was       *)
(* called with (Nil: not called) and the destructor calls.                 *)
TraceLine(o, r) ==
  [op |-> o.op, obj |-> o.obj, id |-> o.id, why |-> r.why, val |-> r.val,
   ctor |-> IF r.ctors = 1 THEN o.obj ELSE Nil, dtors |-> DtorCalls]

(* The caller starts an operation, while the trace is not complete. *)
GCall ==
  /\ Len(trace) < MaxOps
  /\ \E o \in Ops : Call(Caller, o)
  /\ before' = amap
  /\ UNCHANGED trace

(* The operation's abstract steps, with the deterministic data choice. *)
GStep ==
  /\ \/ Insert(Caller, FreshData)
     \/ Remove(Caller)
     \/ \E o \in Objs : RemoveOne(Caller, o)
     \/ \E d \in dtorDue[Caller] : Dtor(Caller, d)
  /\ UNCHANGED <<trace, before>>

(* The operation returns a result ShadowAtomic allows; the trace records it. *)
GReturn ==
  /\ \E r \in AllowedResults(aop[Caller].op, seen[Caller], eff[Caller]) :
       /\ Return(Caller, r)
       /\ trace' = Append(trace, TraceLine(aop[Caller], r))
  /\ UNCHANGED before

(* The abstract spec's initial state: an empty table, an empty trace. *)
GInit ==
  /\ AInit
  /\ trace = <<>>
  /\ before = amap

(* The caller's next step: start, advance or finish its operation. *)
GNext == GCall \/ GStep \/ GReturn

(* The generator: a behaviour of ShadowAtomic with one caller.  It stops  *)
(* (deadlocks, run TLC with -deadlock) after MaxOps operations.            *)
GSpec == GInit /\ [][GNext]_gvars

(* Every generator behaviour is a behaviour of the abstract spec (the    *)
(* .cfg files have TLC check it: PROPERTY ASpec).                          *)
THEOREM GSpec => ASpec
=============================================================================
