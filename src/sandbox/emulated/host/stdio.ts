// A reader that stops early (`kubectl get nodes | head -1`) ends the command quietly, as
// SIGPIPE ends the real Go binaries, instead of an unhandled EPIPE stack trace.
export function exitQuietlyOnClosedPipe(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(0)
      throw e
    })
  }
}
