// Commands that keep something running in the foreground (a mirror, light hosts) stop on Ctrl-C or SIGTERM.

export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop)
      process.off('SIGTERM', stop)
      resolve()
    }
    process.on('SIGINT', stop)
    process.on('SIGTERM', stop)
  })
}

/**
 * A playbook run stops between tasks on the first Ctrl-C or SIGTERM: the tasks running on the hosts finish, so
 * no host is cut off halfway through a script, and the recap names what the run leaves held. A second one
 * quits at once.
 */
export function stopBetweenTasks(): { requested: () => boolean; release: () => void } {
  let requested = false
  const onSignal = () => {
    if (requested) process.exit(130)
    requested = true
    process.stderr.write('kubeseed: stopping after the tasks that are running (press Ctrl-C again to quit at once)\n')
  }
  process.on('SIGINT', onSignal)
  process.on('SIGTERM', onSignal)
  return {
    requested: () => requested,
    release: () => {
      process.off('SIGINT', onSignal)
      process.off('SIGTERM', onSignal)
    },
  }
}
