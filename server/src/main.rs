//! The `server` binary: parses the command line, sets up logging, and runs one subcommand.

use std::process::ExitCode;

use clap::Parser;
use server::config::{Cli, Command};

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    server::telemetry::init(&cli.log);
    let outcome = match cli.command {
        Command::Serve(settings) => server::startup::serve(settings).await,
        Command::Migrate(database) => server::startup::migrate(&database).await,
        Command::Seed(settings) => server::startup::seed(&settings).await,
    };
    match outcome {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            tracing::error!("{error}");
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}
