---------------------------- MODULE ToyCounter ----------------------------
(***************************************************************************)
(* A toy for the model-check runner's self tests, not part of the project's *)
(* specification.  Processes increment a shared counter with a separate    *)
(* read and write step, so an update can be lost; this gives the runner    *)
(* an invariant violation, a liveness violation and (with a gate that      *)
(* never opens) a deadlock to report.                                      *)
(***************************************************************************)
EXTENDS Naturals, FiniteSets

\* Procs: the set of incrementing processes.
\* Gate: after incrementing, a process waits until the counter reaches Gate;
\* a Gate above Cardinality(Procs) never opens, so every process blocks.
CONSTANTS Procs, Gate

(* --algorithm ToyCounter
variables x = 0;   \* the shared counter

fair process Counter \in Procs
variables tmp = 0; \* the value this process read
begin
Read:  tmp := x;
Write: x := tmp + 1;
Wait:  await x >= Gate;
end process;
end algorithm; *)
\* BEGIN TRANSLATION
VARIABLES x, pc, tmp

vars == << x, pc, tmp >>

ProcSet == (Procs)

Init == (* Global variables *)
        /\ x = 0
        (* Process Counter *)
        /\ tmp = [self \in Procs |-> 0]
        /\ pc = [self \in ProcSet |-> "Read"]

Read(self) == /\ pc[self] = "Read"
              /\ tmp' = [tmp EXCEPT ![self] = x]
              /\ pc' = [pc EXCEPT ![self] = "Write"]
              /\ x' = x

Write(self) == /\ pc[self] = "Write"
               /\ x' = tmp[self] + 1
               /\ pc' = [pc EXCEPT ![self] = "Wait"]
               /\ tmp' = tmp

Wait(self) == /\ pc[self] = "Wait"
              /\ x >= Gate
              /\ pc' = [pc EXCEPT ![self] = "Done"]
              /\ UNCHANGED << x, tmp >>

Counter(self) == Read(self) \/ Write(self) \/ Wait(self)

(* Allow infinite stuttering to prevent deadlock on termination. *)
Terminating == /\ \A self \in ProcSet: pc[self] = "Done"
               /\ UNCHANGED vars

Next == (\E self \in Procs: Counter(self))
           \/ Terminating

Spec == /\ Init /\ [][Next]_vars
        /\ \A self \in Procs : WF_vars(Counter(self))

Termination == <>(\A self \in ProcSet: pc[self] = "Done")

\* END TRANSLATION

\* Every variable has the type it should.
TypeOK == /\ x \in 0..Cardinality(Procs)
          /\ tmp \in [Procs -> 0..Cardinality(Procs)]

\* Once every process is done, no increment was lost (fails: lost update).
NoLostUpdate == (\A q \in Procs : pc[q] = "Done") => x = Cardinality(Procs)

\* The counter eventually counts every process (fails: lost update, then the
\* processes stop and the counter stays short).
EventuallyAllCounted == <>(x = Cardinality(Procs))
=============================================================================
