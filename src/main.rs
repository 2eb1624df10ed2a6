// The worker's job future is deeper than rustc's default layout limit in release builds.
#![recursion_limit = "256"]
use std::{io::BufRead, net::SocketAddr, path::PathBuf, process::ExitCode};

use clap::{Args, Parser, Subcommand};
use podpub::{cli, config::Settings};

/// mimalloc: fewer cycles per allocation than glibc's malloc on the API's many small strings,
/// and no per-thread arena growth.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// podpub: a podcast feed static publisher.
#[derive(Parser)]
#[command(version, about)]
struct Cli {
    /// A TOML settings file (also PODPUB_CONFIG).
    #[arg(long, global = true)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Web UI and API, with an in-process worker unless --no-worker.
    Serve {
        #[arg(long)]
        listen: Option<SocketAddr>,
        #[arg(long)]
        no_worker: bool,
    },
    /// A worker only: renders and publishes feeds.
    Worker {
        #[arg(long)]
        concurrency: Option<usize>,
        /// Serve /metrics and /healthz here (also PODPUB_WORKER_METRICS_LISTEN).
        #[arg(long)]
        metrics_listen: Option<SocketAddr>,
    },
    /// The local CDN stand-in over the local publish directory.
    Edge {
        #[arg(long)]
        listen: Option<SocketAddr>,
    },
    /// Apply database migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Manage API tokens.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Queue feed refreshes.
    Refresh(RefreshArgs),
    /// Import an existing RSS feed as a show (or into the show named by --slug).
    Import(ImportArgs),
    /// Queue depth, dead jobs and feeds in conflict; exits 1 if any needs attention.
    Status,
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long)]
        admin: bool,
        /// Read a password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Set a user's password, read from the first line of standard input. Every session of
    /// the user ends.
    Password {
        #[arg(long)]
        email: String,
        /// Also delete every API token of the user.
        #[arg(long)]
        revoke_tokens: bool,
    },
}

#[derive(Subcommand)]
enum TokenCommand {
    /// Create an API token; prints it alone on standard output.
    Create {
        #[arg(long)]
        email: String,
        #[arg(long, default_value = "")]
        name: String,
    },
}

#[derive(Args)]
#[group(required = true, multiple = false)]
struct RefreshTarget {
    #[arg(long)]
    show: Option<String>,
    #[arg(long)]
    all: bool,
}

#[derive(Args)]
struct RefreshArgs {
    #[command(flatten)]
    target: RefreshTarget,
    /// Wait until every refresh has finished; exit 1 if any failed.
    #[arg(long)]
    wait: bool,
    /// Render every show and upload every object again, even those that look unchanged: to
    /// rebuild a bucket that was emptied or restored.
    #[arg(long)]
    force: bool,
}

#[derive(Args)]
#[group(required = true, multiple = false)]
struct ImportSource {
    /// Fetch the feed from this URL.
    #[arg(long)]
    url: Option<String>,
    /// Read the feed from this file.
    #[arg(long)]
    file: Option<PathBuf>,
}

#[derive(Args)]
struct ImportArgs {
    #[command(flatten)]
    source: ImportSource,
    /// Email of the user who will own the show.
    #[arg(long)]
    owner: String,
    /// The show's slug; a show you may edit with this slug is updated instead.
    #[arg(long)]
    slug: Option<String>,
    /// Update the show at --slug even if the feed is not proven to be its podcast.
    #[arg(long)]
    replace: bool,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Cli::parse();
    let needs_database = !matches!(args.command, Command::Edge { .. });
    let mut settings = match Settings::load(args.config, needs_database) {
        Ok(settings) => settings,
        Err(err) => {
            eprintln!("podpub: {err}");
            return ExitCode::from(2);
        }
    };
    podpub::telemetry::init(settings.log_format);
    let result = match args.command {
        Command::Serve { listen, no_worker } => {
            if let Some(listen) = listen {
                settings.listen = listen;
            }
            cli::serve(settings, !no_worker).await
        }
        Command::Worker {
            concurrency,
            metrics_listen,
        } => {
            if let Some(n) = concurrency {
                settings.worker_concurrency = n.max(1);
            }
            if metrics_listen.is_some() {
                settings.worker_metrics_listen = metrics_listen;
            }
            cli::worker(settings).await
        }
        Command::Edge { listen } => {
            if let Some(listen) = listen {
                settings.edge_listen = listen;
            }
            cli::edge(settings).await
        }
        Command::Migrate => cli::migrate(settings).await,
        Command::User {
            command:
                UserCommand::Create {
                    email,
                    admin,
                    password_stdin,
                },
        } => {
            let password = password_stdin.then(read_password);
            cli::create_user(settings, &email, admin, password).await
        }
        Command::User {
            command:
                UserCommand::Password {
                    email,
                    revoke_tokens,
                },
        } => cli::reset_password(settings, &email, read_password(), revoke_tokens).await,
        Command::Token {
            command: TokenCommand::Create { email, name },
        } => cli::create_token(settings, &email, &name).await,
        Command::Refresh(args) => {
            let options = cli::RefreshOptions {
                wait: args.wait,
                force: args.force,
            };
            cli::refresh(settings, args.target.show, args.target.all, options).await
        }
        Command::Status => cli::status(settings).await,
        Command::Import(args) => {
            let source = match (args.source.url, args.source.file) {
                (Some(url), _) => cli::ImportFrom::Url(url),
                (None, file) => cli::ImportFrom::File(file.unwrap_or_default()),
            };
            cli::import(settings, source, &args.owner, args.slug, args.replace).await
        }
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("podpub: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The first line of standard input, without its line ending.
fn read_password() -> String {
    let mut line = String::new();
    let _ = std::io::stdin().lock().read_line(&mut line);
    line.trim_end_matches(['\r', '\n']).to_string()
}
