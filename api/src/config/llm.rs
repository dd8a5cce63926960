//! The optional language model that reads descriptions into filters: any OpenAI-compatible chat
//! completions API (OpenAI, a llama.cpp or Ollama server). Without it the embedded parser reads
//! every description; with it, the embedded parser is the fallback.

use std::time::Duration;

use url::Url;

use super::{Secret, parse};

#[derive(Debug, Clone, clap::Args)]
pub struct LlmArgs {
    /// Base URL of an OpenAI-compatible API (`https://api.openai.com/v1`, a local server's
    /// `http://127.0.0.1:8080/v1`): descriptions are read by its language model, the embedded
    /// parser standing in when it is slow or wrong. Needs `LLM_API_KEY` and `LLM_MODEL`.
    #[arg(
        long,
        env = "LLM_BASE_URL",
        value_parser = parse::http_url,
        requires_all = ["llm_api_key", "llm_model"]
    )]
    pub llm_base_url: Option<Url>,

    /// The API key, sent as a bearer token (any value for a local server without keys). Never
    /// logged.
    #[arg(
        long,
        env = "LLM_API_KEY",
        hide_env_values = true,
        value_parser = parse::llm_api_key,
        requires_all = ["llm_base_url", "llm_model"]
    )]
    pub llm_api_key: Option<Secret>,

    /// The model to ask (`gpt-4o-mini`, `qwen2.5:3b`); it must support JSON-schema structured
    /// outputs.
    #[arg(
        long,
        env = "LLM_MODEL",
        value_parser = parse::llm_model,
        requires_all = ["llm_base_url", "llm_api_key"]
    )]
    pub llm_model: Option<String>,

    /// Milliseconds to wait for the model's answer before the embedded parser's reading is used.
    #[arg(
        long,
        env = "LLM_TIMEOUT_MS",
        value_name = "MS",
        default_value_t = 2500,
        value_parser = clap::value_parser!(u64).range(1..=60_000)
    )]
    pub llm_timeout_ms: u64,
}

/// The language model's settings, when all three variables are set.
#[derive(Debug, Clone)]
pub struct LlmSettings {
    pub base_url: Url,
    pub api_key: Secret,
    pub model: String,
    pub timeout: Duration,
}

impl LlmArgs {
    /// `None` when no language model is configured (clap refuses some of the three alone).
    pub fn settings(&self) -> Option<LlmSettings> {
        Some(LlmSettings {
            base_url: self.llm_base_url.clone()?,
            api_key: self.llm_api_key.clone()?,
            model: self.llm_model.clone()?,
            timeout: Duration::from_millis(self.llm_timeout_ms),
        })
    }
}
