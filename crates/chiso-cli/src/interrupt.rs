//! Ctrl-C (SIGINT) and SIGTERM end the run at once, and leave no partial output: outputs are
//! written to temporary files renamed into place only when complete
//! (`chiso_io::write::output`), and the handler removes the temporary files still open before
//! exiting with 130, as shells expect of an interrupted command.

/// Starts the thread that waits for the signals. Without it (if the handler cannot be set up)
/// the default action still ends the process and the targets keep their previous content; only
/// a temporary file may be left behind.
pub fn install() {
    #[cfg(unix)]
    {
        use signal_hook::consts::{SIGINT, SIGTERM};
        let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGINT, SIGTERM]) else {
            return;
        };
        let _ = std::thread::Builder::new()
            .name("chiso-signals".into())
            .spawn(move || {
                if let Some(signal) = signals.forever().next() {
                    chiso_io::write::output::remove_pending();
                    eprintln!("chiso: interrupted; no output was written");
                    std::process::exit(128 + signal);
                }
            });
    }
}
