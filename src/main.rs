//! The `tandai` binary: the command line (and, with the `gui` feature, the
//! desktop app). The core lives in the library; this file only dispatches.

mod cli;

fn main() -> std::process::ExitCode {
    cli::main()
}
