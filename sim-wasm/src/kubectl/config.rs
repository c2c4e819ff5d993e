//! `kubectl config`: the subcommands that read the kubeconfig and switch what kubectl
//! works on (`current-context`, `view`, `get-contexts`, `get-clusters`, `get-users`,
//! `use-context`, `set-context`), on the file itself (`kubeconfig`), which they rewrite
//! the way kubectl writes it (keys sorted, empty fields left out).

use serde_json::{Value, json};

use super::Ctx;
use super::args::{self, FlagSpec, boolean, value};
use crate::kubeconfig;
use crate::yaml::to_yaml;

/// The fields kubectl prints as `DATA+OMITTED` (or `REDACTED`) unless `--raw`.
const SECRET_FIELDS: &[(&str, &str)] = &[
    ("certificate-authority-data", "DATA+OMITTED"),
    ("client-certificate-data", "DATA+OMITTED"),
    ("client-key-data", "DATA+OMITTED"),
    ("token", "REDACTED"),
    ("password", "REDACTED"),
];

pub fn config(ctx: &mut Ctx<'_>, rest: &[String]) {
    let Some((sub, rest)) = args::split_subcommand(rest, &[args::GLOBAL]) else {
        ctx.io.eprint(CONFIG_HELP);
        ctx.code = 1;
        return;
    };
    const FLAGS: &[FlagSpec] = &[
        value("output", Some('o')),
        boolean("minify", None),
        boolean("raw", None),
        boolean("flatten", None),
        boolean("no-headers", None),
        boolean("current", None),
        value("cluster", None),
        value("user", None),
    ];
    let command = format!("config {sub}");
    let p = match args::parse(&rest, &[FLAGS, args::GLOBAL]) {
        Ok(p) => p,
        Err(e) => return ctx.usage_error(&command, &e.0),
    };
    let path = kubeconfig::path_in(ctx.files);
    let mut config = ctx
        .files
        .read(&path)
        .and_then(kubeconfig::parse)
        .unwrap_or_else(|| json!({}));
    let current = config
        .get("current-context")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    match sub.as_str() {
        "current-context" if current.is_empty() => ctx.fail("current-context is not set"),
        "current-context" => ctx.io.print(&format!("{current}\n")),
        "view" => view(ctx, &config, &current, &p),
        "get-contexts" => get_contexts(ctx, &config, &current, &p),
        "get-clusters" | "get-users" => {
            let (list, field) = if sub == "get-clusters" {
                ("clusters", "name")
            } else {
                ("users", "name")
            };
            let mut out = String::from("NAME\n");
            for entry in entries(&config, list) {
                out.push_str(str_field(entry, field));
                out.push('\n');
            }
            ctx.io.print(&out);
        }
        "use-context" => {
            let Some(name) = p.positional.first() else {
                return ctx.fail("Unexpected args: []\nSee 'kubectl config use-context -h' for help and examples");
            };
            if !entries(&config, "contexts").any(|c| str_field(c, "name") == name) {
                return ctx.fail(&format!("no context exists with the name: \"{name}\""));
            }
            config["current-context"] = json!(name);
            write(ctx, &path, &config);
            ctx.io.print(&format!("Switched to context \"{name}\".\n"));
        }
        "set-context" => set_context(ctx, &path, config, &current, &p),
        "delete-cluster" | "delete-context" | "delete-user" | "rename-context" | "set"
        | "set-cluster" | "set-credentials" | "unset" => ctx.fail(&format!(
            "\"kubectl {command}\" is not available in this simulated cluster"
        )),
        other => ctx.fail(&format!(
            "unknown command \"{other}\"\nSee 'kubectl config -h' for help and examples"
        )),
    }
}

fn entries<'a>(config: &'a Value, list: &str) -> impl Iterator<Item = &'a Value> {
    config
        .get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

fn str_field<'a>(entry: &'a Value, field: &str) -> &'a str {
    entry.get(field).and_then(Value::as_str).unwrap_or_default()
}

/// The context named `name`'s own fields (`cluster`, `user`, `namespace`).
fn context_field<'a>(config: &'a Value, name: &str, field: &str) -> &'a str {
    entries(config, "contexts")
        .find(|c| str_field(c, "name") == name)
        .and_then(|c| c.get("context"))
        .map_or("", |c| str_field(c, field))
}

/// The config as kubectl prints and writes it: its v1 form, where a context always has
/// `cluster` and `user`, absent lists are `null`, and `current-context` is a string.
fn normalized(config: &Value) -> Value {
    let list = |name: &str| match config.get(name) {
        Some(Value::Array(items)) if !items.is_empty() => Value::Array(items.clone()),
        _ => Value::Null,
    };
    let mut contexts = list("contexts");
    // The file is the student's to edit: entries of the wrong shape are left as they are.
    for item in contexts.as_array_mut().into_iter().flatten() {
        let Some(Value::Object(context)) = item.get_mut("context") else {
            continue;
        };
        for field in ["cluster", "user"] {
            if !context.contains_key(field) {
                context.insert(field.to_owned(), json!(""));
            }
        }
    }
    json!({
        "apiVersion": "v1",
        "clusters": list("clusters"),
        "contexts": contexts,
        "current-context": config.get("current-context").and_then(Value::as_str).unwrap_or_default(),
        "kind": "Config",
        "preferences": config.get("preferences").cloned().unwrap_or_else(|| json!({})),
        "users": list("users"),
    })
}

fn view(ctx: &mut Ctx<'_>, config: &Value, current: &str, p: &args::Parsed) {
    let mut shown = normalized(config);
    if p.flag("minify") {
        if current.is_empty() {
            return ctx.fail("current-context must exist in order to minify");
        }
        let cluster = context_field(config, current, "cluster").to_owned();
        let user = context_field(config, current, "user").to_owned();
        for (list, keep) in [
            ("contexts", current),
            ("clusters", &cluster),
            ("users", &user),
        ] {
            let kept: Vec<Value> = entries(&shown, list)
                .filter(|e| str_field(e, "name") == keep)
                .cloned()
                .collect();
            shown[list] = if kept.is_empty() {
                Value::Null
            } else {
                Value::Array(kept)
            };
        }
    }
    if !p.flag("raw") {
        for list in ["clusters", "users"] {
            if let Some(Value::Array(items)) = shown.get_mut(list) {
                for item in items {
                    let inner = if list == "clusters" {
                        "cluster"
                    } else {
                        "user"
                    };
                    if let Some(Value::Object(fields)) = item.get_mut(inner) {
                        for (field, shown_as) in SECRET_FIELDS {
                            if let Some(v) = fields.get_mut(*field) {
                                *v = json!(shown_as);
                            }
                        }
                    }
                }
            }
        }
    }
    match p.get("output") {
        None | Some("yaml") => ctx.io.print(&to_yaml(&shown)),
        Some(o) if o.starts_with("jsonpath=") => {
            match super::get::jsonpath(&o["jsonpath=".len()..], &shown) {
                Ok(text) => ctx.io.print(&text),
                Err(e) => ctx.fail(&e),
            }
        }
        Some(other) => ctx.fail(&format!(
            "\"kubectl config view -o {other}\" is not available in this simulated cluster"
        )),
    }
}

fn get_contexts(ctx: &mut Ctx<'_>, config: &Value, current: &str, p: &args::Parsed) {
    let wanted = &p.positional;
    let name_only = p.get("output") == Some("name");
    let mut rows: Vec<Vec<String>> = Vec::new();
    if !p.flag("no-headers") && !name_only {
        rows.push(
            ["CURRENT", "NAME", "CLUSTER", "AUTHINFO", "NAMESPACE"]
                .map(str::to_owned)
                .to_vec(),
        );
    }
    let mut names = String::new();
    for entry in entries(config, "contexts") {
        let name = str_field(entry, "name");
        if !wanted.is_empty() && !wanted.iter().any(|w| w == name) {
            continue;
        }
        names.push_str(name);
        names.push('\n');
        let field = |f: &str| context_field(config, name, f).to_owned();
        let mark = if name == current { "*" } else { "" };
        rows.push(vec![
            mark.to_owned(),
            name.to_owned(),
            field("cluster"),
            field("user"),
            field("namespace"),
        ]);
    }
    if name_only {
        ctx.io.print(&names);
    } else {
        ctx.io.print(&super::printers::render(&rows));
    }
    for missing in wanted
        .iter()
        .filter(|w| !entries(config, "contexts").any(|c| str_field(c, "name") == *w))
    {
        ctx.fail(&format!("context {missing} not found"));
    }
}

fn set_context(ctx: &mut Ctx<'_>, path: &str, mut config: Value, current: &str, p: &args::Parsed) {
    let name = if p.flag("current") {
        if current.is_empty() {
            return ctx.fail("no current context is set");
        }
        current.to_owned()
    } else {
        match p.positional.first() {
            Some(name) => name.clone(),
            None => {
                return ctx.fail(
                    "you must specify a non-empty context name or --current\nSee 'kubectl config set-context -h' for help and examples",
                );
            }
        }
    };
    if !config.get("contexts").is_some_and(Value::is_array) {
        config["contexts"] = json!([]);
    }
    let Some(Value::Array(contexts)) = config.get_mut("contexts") else {
        return;
    };
    let existing = contexts.iter().position(|c| str_field(c, "name") == name);
    let index = existing.unwrap_or_else(|| {
        contexts.push(json!({"context": {}, "name": name}));
        contexts.len() - 1
    });
    let Some(Value::Object(entry)) = contexts.get_mut(index) else {
        return ctx.fail(&format!("context {name} is not a mapping in {path}"));
    };
    let context = entry
        .entry("context".to_owned())
        .or_insert_with(|| json!({}));
    if !context.is_object() {
        *context = json!({});
    }
    let Value::Object(context) = context else {
        return;
    };
    for (flag, field) in [
        ("cluster", "cluster"),
        ("user", "user"),
        ("namespace", "namespace"),
    ] {
        match p.get(flag) {
            // An empty value unsets the field, as kubectl leaves empty fields out.
            Some("") => {
                context.remove(field);
            }
            Some(v) => {
                context.insert(field.to_owned(), json!(v));
            }
            None => {}
        }
    }
    write(ctx, path, &config);
    let verb = if existing.is_some() {
        "modified"
    } else {
        "created"
    };
    ctx.io.print(&format!("Context \"{name}\" {verb}.\n"));
}

/// Writes the config back as kubectl does: in its v1 form (see [`normalized`]).
fn write(ctx: &mut Ctx<'_>, path: &str, config: &Value) {
    ctx.files.write(path, &to_yaml(&normalized(config)));
}

/// What `kubectl config` prints without a subcommand (on stderr, exit 1).
const CONFIG_HELP: &str = "Modify kubeconfig files using subcommands like \"kubectl config set current-context my-context\".

 The loading order follows these rules:

  1.  If the --kubeconfig flag is set, then only that file is loaded. The flag may only be set once and no merging takes place.
  2.  If $KUBECONFIG environment variable is set, then it is used as a list of paths (normal path delimiting rules for your system). These paths are merged. When a value is modified, it is modified in the file that defines the stanza. When a value is created, it is created in the first file that exists. If no files in the chain exist, then it creates the last file in the list.
  3.  Otherwise, ${HOME}/.kube/config is used and no merging takes place.

Available Commands:
  current-context   Display the current-context
  delete-cluster    Delete the specified cluster from the kubeconfig
  delete-context    Delete the specified context from the kubeconfig
  delete-user       Delete the specified user from the kubeconfig
  get-clusters      Display clusters defined in the kubeconfig
  get-contexts      Describe one or many contexts
  get-users         Display users defined in the kubeconfig
  rename-context    Rename a context from the kubeconfig file
  set               Set an individual value in a kubeconfig file
  set-cluster       Set a cluster entry in kubeconfig
  set-context       Set a context entry in kubeconfig
  set-credentials   Set a user entry in kubeconfig
  unset             Unset an individual value in a kubeconfig file
  use-context       Set the current-context in a kubeconfig file
  view              Display merged kubeconfig settings or a specified kubeconfig file

Usage:
  kubectl config SUBCOMMAND [options]

Use \"kubectl config <command> --help\" for more information about a given command.
Use \"kubectl options\" for a list of global command-line options (applies to all commands).
";
