use std::process::ExitCode;

fn main() -> ExitCode {
    reel::cli::main()
}
