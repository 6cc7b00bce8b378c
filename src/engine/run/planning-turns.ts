// Planning one host's segment is synchronous work on the controller. Hosts take turns at it with the event
// loop polled in between, so handshakes under way and the replies of hosts already sent are served while
// the next host is planned, instead of all waiting for every host's plan.

export class PlanningTurns {
  private last: Promise<void> = Promise.resolve()

  /** Resolves after every earlier caller's turn, once the event loop has polled for I/O since the last one. */
  next(): Promise<void> {
    // setImmediate called while the previous turn resolves runs in the loop's next iteration, after its poll.
    const turn = this.last.then(() => new Promise<void>((resolve) => setImmediate(resolve)))
    this.last = turn
    return turn
  }
}
