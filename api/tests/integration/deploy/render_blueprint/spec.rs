//! The parts of the Render Blueprint schema that render.yaml uses, as typed structs that reject
//! unknown fields: a misspelt key (`healthcheckPath`) fails the test instead of being ignored.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Blueprint {
    #[serde(default)]
    pub databases: Vec<Database>,
    pub services: Vec<Service>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "fields exist to be accepted by deny_unknown_fields"
)]
pub struct Database {
    pub name: String,
    pub database_name: Option<String>,
    pub user: Option<String>,
    pub plan: Option<String>,
    pub region: Option<String>,
    pub postgres_major_version: Option<String>,
    pub ip_allow_list: Option<Vec<AllowedSource>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "fields exist to be accepted by deny_unknown_fields"
)]
pub struct AllowedSource {
    pub source: String,
    pub description: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[expect(
    dead_code,
    reason = "fields exist to be accepted by deny_unknown_fields"
)]
pub struct Service {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub runtime: Option<String>,
    pub plan: Option<String>,
    pub region: Option<String>,
    pub dockerfile_path: Option<String>,
    pub docker_context: Option<String>,
    pub docker_command: Option<String>,
    pub pre_deploy_command: Option<String>,
    pub start_command: Option<String>,
    pub health_check_path: Option<String>,
    pub num_instances: Option<u32>,
    pub max_shutdown_delay_seconds: Option<u32>,
    pub schedule: Option<String>,
    pub maxmemory_policy: Option<String>,
    pub ip_allow_list: Option<Vec<AllowedSource>>,
    pub auto_deploy_trigger: Option<String>,
    pub build_filter: Option<BuildFilter>,
    #[serde(default)]
    pub env_vars: Vec<EnvVar>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BuildFilter {
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub ignored_paths: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EnvVar {
    pub key: String,
    pub value: Option<serde_yaml::Value>,
    pub generate_value: Option<bool>,
    pub sync: Option<bool>,
    pub from_database: Option<FromDatabase>,
    pub from_service: Option<FromService>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FromDatabase {
    pub name: String,
    pub property: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FromService {
    #[serde(rename = "type")]
    pub kind: String,
    pub name: String,
    pub property: Option<String>,
    pub env_var_key: Option<String>,
}

impl Service {
    pub fn env(&self, key: &str) -> Option<&EnvVar> {
        self.env_vars.iter().find(|var| var.key == key)
    }

    pub fn literal(&self, key: &str) -> Option<String> {
        let value = self.env(key)?.value.as_ref()?;
        Some(match value {
            serde_yaml::Value::String(text) => text.clone(),
            other => serde_yaml::to_string(other).unwrap().trim().to_owned(),
        })
    }

    /// The command lines this service runs, with the field each comes from.
    pub fn commands(&self) -> Vec<(&'static str, &str)> {
        [
            ("preDeployCommand", &self.pre_deploy_command),
            ("dockerCommand", &self.docker_command),
            ("startCommand", &self.start_command),
        ]
        .into_iter()
        .filter_map(|(field, command)| command.as_deref().map(|command| (field, command)))
        .collect()
    }
}
