//! Sandbox configurations and their environment variables, in an organization of the test's own
//! (sandbox configs are one per type per organization, so the default org's are left alone).

use letta_api::models as m;
use serde_json::json;

use crate::platform_admin::Tenant;
use crate::support::live;

#[tokio::test]
async fn sandbox_configs_and_env_vars_round_trip() {
    let live = live!();
    let api = live.client.sandbox_config();
    let tenant = Tenant::create(live, "sandbox").await;
    let uid = tenant.user_id.clone();
    let dir = std::env::temp_dir().join(live.name("sandbox-dir"));
    std::fs::create_dir_all(&dir).expect("a sandbox directory");
    let dir_text = dir.to_string_lossy().to_string();

    let none = live.track(
        "list_sandbox_configs_v1_sandbox_config__get",
        api.list_sandbox_configs_v1_sandbox_config_get()
            .user_id(&uid)
            .send()
            .await,
    );
    assert!(
        none.is_empty(),
        "a new organization has no sandbox configs: {none:?}"
    );

    // the default local config, then a custom one (the same row: one config per type)
    let local = live.track(
        "create_default_local_sandbox_config_v1_sandbox_config_local_default_post",
        api.create_default_local_sandbox_config_v1_sandbox_config_local_default_post()
            .user_id(&uid)
            .send()
            .await,
    );
    let local_id = local.id.clone().expect("a sandbox config has an id");
    assert_eq!(local.type_, Some(m::SandboxType::Local));
    let custom = m::LocalSandboxConfig::default()
        .with_sandbox_dir(dir_text.clone())
        .with_use_venv(false)
        .with_venv_name("live-venv");
    let local2 = live.track(
        "create_custom_local_sandbox_config_v1_sandbox_config_local_post",
        api.create_custom_local_sandbox_config_v1_sandbox_config_local_post(custom)
            .user_id(&uid)
            .send()
            .await,
    );
    assert_eq!(local2.id, local.id);
    let config = local2.config.clone().expect("the config body");
    assert_eq!(config.get("sandbox_dir"), Some(&json!(dir_text)));
    assert_eq!(config.get("venv_name"), Some(&json!("live-venv")));

    // an E2B config by the generic route, then the default E2B route finds it
    let e2b = m::E2bSandboxConfig::default()
        .with_timeout(123)
        .with_template("live-template");
    let created = live.track(
        "create_sandbox_config_v1_sandbox_config__post",
        api.create_sandbox_config_v1_sandbox_config_post(m::SandboxConfigCreate::new(e2b))
            .user_id(&uid)
            .send()
            .await,
    );
    let e2b_id = created.id.clone().expect("a sandbox config has an id");
    assert_eq!(created.type_, Some(m::SandboxType::E2b), "{created:?}");
    assert_eq!(
        created.config.as_ref().and_then(|c| c.get("timeout")),
        Some(&json!(123))
    );
    let default_e2b = live.track(
        "create_default_e2b_sandbox_config_v1_sandbox_config_e2b_default_post",
        api.create_default_e2b_sandbox_config_v1_sandbox_config_e2b_default_post()
            .user_id(&uid)
            .send()
            .await,
    );
    assert_eq!(default_e2b.id, created.id);

    let update = m::SandboxConfigUpdate::default().with_config(
        m::E2bSandboxConfig::default()
            .with_timeout(456)
            .with_template("live-template-2"),
    );
    let updated = live.track(
        "update_sandbox_config_v1_sandbox_config__sandbox_config_id__patch",
        api.update_sandbox_config_v1_sandbox_config_sandbox_config_id_patch(&e2b_id, update)
            .user_id(&uid)
            .send()
            .await,
    );
    assert_eq!(updated.id, created.id);
    let body = updated.config.clone().expect("the config body");
    assert_eq!(body.get("timeout"), Some(&json!(456)));
    assert_eq!(body.get("template"), Some(&json!("live-template-2")));

    let both = live
        .track_stream(
            "list_sandbox_configs_v1_sandbox_config__get",
            api.list_sandbox_configs_v1_sandbox_config_get()
                .user_id(&uid)
                .limit(1)
                .into_stream(),
        )
        .await;
    let mut ids: Vec<_> = both.iter().filter_map(|c| c.id.clone()).collect();
    ids.sort();
    let mut want = vec![local_id.clone(), e2b_id.clone()];
    want.sort();
    assert_eq!(ids, want);
    let only_e2b = live.track(
        "list_sandbox_configs_v1_sandbox_config__get",
        api.list_sandbox_configs_v1_sandbox_config_get()
            .user_id(&uid)
            .sandbox_type(m::SandboxType::E2b)
            .send()
            .await,
    );
    assert_eq!(only_e2b.len(), 1);
    assert_eq!(only_e2b[0].id, created.id);

    // environment variables of the local config
    let var = m::SandboxEnvironmentVariableCreate::new("LIVE_KEY", "one")
        .with_description("set by the live suite");
    let created_var = live.track(
        "create_sandbox_env_var_v1_sandbox_config__sandbox_config_id__environment_variable_post",
        api.create_sandbox_env_var_v1_sandbox_config_sandbox_config_id_environment_variable_post(
            &local_id, var,
        )
        .user_id(&uid)
        .send()
        .await,
    );
    let var_id = created_var.id.clone().expect("an env var has an id");
    assert_eq!(created_var.key, "LIVE_KEY");
    assert_eq!(created_var.value, "one");
    assert_eq!(created_var.sandbox_config_id, local_id);
    let other = live.track(
        "create_sandbox_env_var_v1_sandbox_config__sandbox_config_id__environment_variable_post",
        api.create_sandbox_env_var_v1_sandbox_config_sandbox_config_id_environment_variable_post(
            &local_id,
            m::SandboxEnvironmentVariableCreate::new("LIVE_OTHER", "two"),
        )
        .user_id(&uid)
        .send()
        .await,
    );
    let vars = live
        .track_stream(
            "list_sandbox_env_vars_v1_sandbox_config__sandbox_config_id__environment_variable_get",
            api.list_sandbox_env_vars_v1_sandbox_config_sandbox_config_id_environment_variable_get(
                &local_id,
            )
            .user_id(&uid)
            .limit(1)
            .into_stream(),
        )
        .await;
    let mut keys: Vec<_> = vars.iter().map(|v| v.key.as_str()).collect();
    keys.sort();
    assert_eq!(keys, vec!["LIVE_KEY", "LIVE_OTHER"]);

    let changed = live.track(
        "update_sandbox_env_var_v1_sandbox_config_environment_variable__env_var_id__patch",
        api.update_sandbox_env_var_v1_sandbox_config_environment_variable_env_var_id_patch(
            &var_id,
            m::SandboxEnvironmentVariableUpdate::default().with_value("uno"),
        )
        .user_id(&uid)
        .send()
        .await,
    );
    assert_eq!(changed.id, created_var.id);
    assert_eq!(changed.key, "LIVE_KEY");
    assert_eq!(changed.value, "uno");

    for id in [var_id, other.id.clone().expect("an env var has an id")] {
        live.track(
            "delete_sandbox_env_var_v1_sandbox_config_environment_variable__env_var_id__delete",
            api.delete_sandbox_env_var_v1_sandbox_config_environment_variable_env_var_id_delete(
                &id,
            )
            .user_id(&uid)
            .send()
            .await,
        );
    }
    let vars = live.track(
        "list_sandbox_env_vars_v1_sandbox_config__sandbox_config_id__environment_variable_get",
        api.list_sandbox_env_vars_v1_sandbox_config_sandbox_config_id_environment_variable_get(
            &local_id,
        )
        .user_id(&uid)
        .send()
        .await,
    );
    assert!(vars.is_empty(), "{vars:?}");

    for id in [&e2b_id, &local_id] {
        live.track(
            "delete_sandbox_config_v1_sandbox_config__sandbox_config_id__delete",
            api.delete_sandbox_config_v1_sandbox_config_sandbox_config_id_delete(id)
                .user_id(&uid)
                .send()
                .await,
        );
    }
    let none = live.track(
        "list_sandbox_configs_v1_sandbox_config__get",
        api.list_sandbox_configs_v1_sandbox_config_get()
            .user_id(&uid)
            .send()
            .await,
    );
    assert!(none.is_empty(), "{none:?}");

    tenant.delete(live).await;
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn the_local_sandbox_venv_is_recreated() {
    let live = live!();
    let api = live.client.sandbox_config();
    let tenant = Tenant::create(live, "venv").await;
    let uid = tenant.user_id.clone();
    let dir = std::env::temp_dir().join(live.name("venv-dir"));
    std::fs::create_dir_all(&dir).expect("a sandbox directory");
    let local = live.track(
        "create_custom_local_sandbox_config_v1_sandbox_config_local_post",
        api.create_custom_local_sandbox_config_v1_sandbox_config_local_post(
            m::LocalSandboxConfig::default()
                .with_sandbox_dir(dir.to_string_lossy().to_string())
                .with_use_venv(true)
                .with_venv_name("live-venv"),
        )
        .user_id(&uid)
        .send()
        .await,
    );
    let local_id = local.id.clone().expect("a sandbox config has an id");

    // The server creates the venv in the org's local sandbox directory and runs
    // `pip install --upgrade pip` in it (create_venv_for_local_sandbox in
    // letta/services/helpers/tool_execution_helper.py). The rig starts the server with
    // PIP_NO_INDEX=1, so pip keeps the venv's own pip and the route succeeds offline.
    let recreated = live.track(
        "force_recreate_local_sandbox_venv_v1_sandbox_config_local_recreate_venv_post",
        api.force_recreate_local_sandbox_venv_v1_sandbox_config_local_recreate_venv_post()
            .user_id(&uid)
            .timeout(std::time::Duration::from_secs(120))
            .send()
            .await,
    );
    assert_eq!(recreated.id, local.id);
    assert!(
        dir.join("live-venv").join("bin").join("python").exists(),
        "the venv is in {}",
        dir.display()
    );

    live.track(
        "delete_sandbox_config_v1_sandbox_config__sandbox_config_id__delete",
        api.delete_sandbox_config_v1_sandbox_config_sandbox_config_id_delete(&local_id)
            .user_id(&uid)
            .send()
            .await,
    );
    tenant.delete(live).await;
    let _ = std::fs::remove_dir_all(&dir);
}
