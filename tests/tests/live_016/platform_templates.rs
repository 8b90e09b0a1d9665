//! The internal template routes (used by Letta Cloud's template deployments, but served by every
//! server): blocks, agents and groups tagged with a deployment id, listed and deleted together.

use letta_api::models as m;

use crate::support::live;

#[tokio::test]
#[allow(deprecated)] // llm_config / embedding_config are deprecated in the spec, but required here
async fn a_template_deployment_is_created_listed_and_deleted() {
    let live = live!();
    let api = live.client.internal_templates();
    let deployment = live.name("deployment");
    let template = live.name("template");
    let base = live.name("base-template");

    let block = m::InternalTemplateBlockCreate::new(
        "Shared notes for the deployment.",
        template.clone(),
        base.clone(),
        deployment.clone(),
        live.name("entity"),
        "notes",
    )
    .with_template_name("notes-template")
    .with_description("a template block");
    let one = live.track(
        "create_internal_template_block",
        api.create_internal_template_block(block).send().await,
    );
    let block_id = one.id.clone().expect("a created block has an id");
    assert_eq!(one.deployment_id.as_deref(), Some(deployment.as_str()));
    assert_eq!(one.template_id.as_deref(), Some(template.as_str()));
    assert_eq!(one.label.as_deref(), Some("notes"));

    let batch: Vec<_> = ["first", "second"]
        .into_iter()
        .map(|label| {
            m::InternalTemplateBlockCreate::new(
                format!("The {label} block."),
                template.clone(),
                base.clone(),
                deployment.clone(),
                live.name("entity"),
                label,
            )
        })
        .collect();
    let many = live.track(
        "create_internal_template_blocks_batch",
        api.create_internal_template_blocks_batch(batch)
            .send()
            .await,
    );
    assert_eq!(
        many.iter().map(|b| b.label.as_deref()).collect::<Vec<_>>(),
        vec![Some("first"), Some("second")]
    );
    assert!(
        many.iter()
            .all(|b| b.deployment_id.as_deref() == Some(deployment.as_str()))
    );

    let agent_name = live.name("template-agent");
    // The internal route passes the body straight to `AgentManager.create_agent_async`, which needs
    // the resolved configs: with only `model`/`embedding` handles it answers 400 "llm_config is
    // required" (the public create_agent route resolves handles first, in SyncServer.create_agent_async).
    let agent = m::InternalTemplateAgentCreate::new(
        template.clone(),
        base.clone(),
        deployment.clone(),
        live.name("entity"),
    )
    .with_name(agent_name.clone())
    .with_llm_config(live.llm_config())
    .with_embedding_config(live.embedding_config())
    .with_description("a template agent")
    .with_memory_blocks(vec![m::CreateBlock::new(
        "I was deployed from a template.",
        "persona",
    )])
    .with_block_ids(vec![block_id.clone()]);
    let agent = live.track(
        "create_internal_template_agent",
        api.create_internal_template_agent(agent).send().await,
    );
    assert_eq!(agent.name, agent_name);
    assert_eq!(agent.deployment_id.as_deref(), Some(deployment.as_str()));
    assert!(
        agent
            .memory
            .blocks
            .iter()
            .any(|b| b.id.as_deref() == Some(block_id.as_str())),
        "the shared block is attached"
    );

    let group = live.track(
        "create_internal_template_group",
        api.create_internal_template_group(m::InternalTemplateGroupCreate::new(
            vec![agent.id.clone()],
            "a template group",
            base.clone(),
            template.clone(),
            deployment.clone(),
        ))
        .send()
        .await,
    );
    assert_eq!(group.agent_ids, vec![agent.id.clone()]);
    assert_eq!(group.deployment_id.as_deref(), Some(deployment.as_str()));

    let listed = live.track(
        "list_deployment_entities",
        api.list_deployment_entities(&deployment).send().await,
    );
    assert_eq!(listed.deployment_id, deployment);
    assert_eq!(listed.total_count, listed.entities.len() as i64);
    let count = |kind: &str| listed.entities.iter().filter(|e| e.type_ == kind).count();
    assert_eq!(
        (count("block"), count("agent"), count("group")),
        (3, 1, 1),
        "{listed:?}"
    );
    assert!(
        listed
            .entities
            .iter()
            .any(|e| e.id == agent.id && e.name.as_deref() == Some(agent_name.as_str()))
    );
    // a filter that includes blocks works ...
    let blocks_and_groups = live.track(
        "list_deployment_entities",
        api.list_deployment_entities(&deployment)
            .entity_types(vec!["block,group".into()])
            .send()
            .await,
    );
    assert_eq!(blocks_and_groups.total_count, 4, "{blocks_and_groups:?}");
    assert!(
        blocks_and_groups
            .entities
            .iter()
            .all(|e| e.type_ != "agent")
    );
    // ... one without blocks does not. Server bug: `list_deployment_entities`
    // (letta/server/rest_api/routers/v1/internal_templates.py) imports `select` and `db_registry`
    // inside its `if "block" in types_to_include:` branch, so the agent and group branches hit an
    // UnboundLocalError (500) whenever blocks are filtered out.
    let err = live.expect_err(
        "list_deployment_entities",
        api.list_deployment_entities(&deployment)
            .entity_types(vec!["agent".into()])
            .send()
            .await,
    );
    assert!(
        matches!(&err, letta_api::Error::Api(e) if e.status() == 500),
        "{err:?}"
    );

    // the agent's own memory block has no deployment id: it outlives the deployment
    let own_blocks: Vec<String> = agent
        .memory
        .blocks
        .iter()
        .filter_map(|b| b.id.clone())
        .filter(|id| id != &block_id)
        .collect();
    assert_eq!(own_blocks.len(), 1, "{:?}", agent.memory.blocks);

    let deleted = live.track(
        "delete_deployment",
        api.delete_deployment(&deployment).send().await,
    );
    assert_eq!(deleted.deleted_blocks.len(), 3, "{deleted:?}");
    assert!(deleted.deleted_blocks.contains(&block_id));
    assert_eq!(deleted.deleted_agents, vec![agent.id.clone()]);
    assert_eq!(deleted.deleted_groups, vec![group.id.clone()]);
    let listed = live.track(
        "list_deployment_entities",
        api.list_deployment_entities(&deployment).send().await,
    );
    assert_eq!(listed.total_count, 0, "{listed:?}");
    let err = live.expect_err(
        "retrieve_agent",
        live.client.agents().retrieve_agent(&agent.id).send().await,
    );
    assert_eq!(err.status().map(|s| s.as_u16()), Some(404), "{err}");
    for id in own_blocks {
        live.track(
            "delete_block",
            live.client.blocks().delete_block(&id).send().await,
        );
    }
}
