//! Reorders the functions of the browser's wasm module so that gzip finds more repeats.
//!
//! wasm-bindgen (walrus) emits functions largest first. gzip only looks back 32 KB, so
//! the dozens of near-identical copies of one generic function (a `BTreeMap` method for
//! each key and value type, `Vec` growth for each element type) end up scattered across a
//! 1.5 MB code section and each compresses on its own. Sorted by symbol name (without the
//! hash that tells the copies apart), then by size, they sit side by side: the same code,
//! 2-3 % smaller gzip (measured in ARCHITECTURE.md "Download size"). The module's behaviour is unchanged:
//! only function indices move, and every reference to them (calls, `ref.func`, the
//! indirect-call table, exports, the start function) is rewritten to the new index. The
//! result is checked with wasmparser's validator before it is written.
//!
//! Needs the function-name section (wasm-bindgen must keep it) and drops it afterwards:
//! names are for debuggers, not students.

use anyhow::{Context, Result, bail};
use std::convert::Infallible;
use wasm_encoder::reencode::{Error, Reencode, RoundtripReencoder, utils};

/// Rewrites `module` with its defined functions sorted by name; returns the new module.
pub fn reorder_by_name(module: &[u8]) -> Result<Vec<u8>> {
    let (imported, names, sizes) = survey(module)?;
    let defined = sizes.len();
    if names.is_empty() {
        bail!("the module has no function names to sort by (keep wasm-bindgen's name section)");
    }
    // order[new position] = old position among the defined functions. Within one name,
    // smaller first: copies of the same size are usually the same code.
    let mut order: Vec<usize> = (0..defined).collect();
    order.sort_by_key(|&i| {
        let name = names
            .get(&(imported + i as u32))
            .map_or("", |name| without_hash(name));
        (name, sizes.get(i).copied().unwrap_or(0))
    });
    let mut new_position = vec![0u32; defined];
    for (new, &old) in order.iter().enumerate() {
        new_position[old] = new as u32;
    }
    let mut reorder = Reorder {
        imported,
        order,
        new_position,
    };
    let mut out = wasm_encoder::Module::new();
    reorder
        .parse_core_module(&mut out, wasmparser::Parser::new(0), module)
        .map_err(|e| anyhow::anyhow!("re-encoding the module: {e:?}"))?;
    let bytes = out.finish();
    wasmparser::Validator::new_with_features(wasmparser::WasmFeatures::all())
        .validate_all(&bytes)
        .context("the reordered module does not validate")?;
    Ok(bytes)
}

/// The number of imported functions, the function names and the body size of every defined
/// function.
fn survey(module: &[u8]) -> Result<(u32, std::collections::BTreeMap<u32, String>, Vec<usize>)> {
    let mut imported = 0;
    let mut sizes = Vec::new();
    let mut names = std::collections::BTreeMap::new();
    for payload in wasmparser::Parser::new(0).parse_all(module) {
        match payload? {
            wasmparser::Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    if matches!(import?.ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            wasmparser::Payload::CodeSectionEntry(body) => sizes.push(body.range().len()),
            wasmparser::Payload::CustomSection(section) => {
                if let wasmparser::KnownCustom::Name(reader) = section.as_known() {
                    for subsection in reader {
                        if let wasmparser::Name::Function(map) = subsection? {
                            for naming in map {
                                let naming = naming?;
                                names.insert(naming.index, naming.name.to_owned());
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok((imported, names, sizes))
}

/// A legacy-mangled symbol without its trailing `17h<16 hex digits>E`, so that copies of
/// one generic function compare equal and stay in their original relative order.
fn without_hash(name: &str) -> &str {
    let bytes = name.as_bytes();
    if bytes.len() > 20
        && name.ends_with('E')
        && name[bytes.len() - 20..].starts_with("17h")
        && name[bytes.len() - 17..bytes.len() - 1]
            .bytes()
            .all(|b| b.is_ascii_hexdigit())
    {
        &name[..bytes.len() - 20]
    } else {
        name
    }
}

struct Reorder {
    imported: u32,
    order: Vec<usize>,
    new_position: Vec<u32>,
}

impl Reencode for Reorder {
    type Error = Infallible;

    fn function_index(&mut self, func: u32) -> Result<u32, Error<Infallible>> {
        if func < self.imported {
            return Ok(func);
        }
        let position = self
            .new_position
            .get((func - self.imported) as usize)
            .copied()
            .ok_or(Error::InvalidCodeSectionSize)?;
        Ok(self.imported + position)
    }

    fn parse_function_section(
        &mut self,
        functions: &mut wasm_encoder::FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), Error<Infallible>> {
        let types = section.into_iter().collect::<Result<Vec<u32>, _>>()?;
        let order = self.order.clone();
        for old in order {
            let ty = *types.get(old).ok_or(Error::InvalidCodeSectionSize)?;
            functions.function(self.type_index(ty)?);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut wasm_encoder::CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), Error<Infallible>> {
        let bodies = section.into_iter().collect::<Result<Vec<_>, _>>()?;
        let order = self.order.clone();
        for old in order {
            let body = bodies.get(old).ok_or(Error::InvalidCodeSectionSize)?;
            self.parse_function_body(code, body.clone())?;
        }
        Ok(())
    }

    fn parse_custom_section(
        &mut self,
        module: &mut wasm_encoder::Module,
        section: wasmparser::CustomSectionReader<'_>,
    ) -> Result<(), Error<Infallible>> {
        if section.name() == "name" {
            return Ok(());
        }
        utils::parse_custom_section(&mut RoundtripReencoder, module, section)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hash_of_a_legacy_symbol_is_dropped_and_other_names_are_kept() {
        assert_eq!(
            without_hash("_ZN5alloc3vec3Vec4push17h0123456789abcdefE"),
            "_ZN5alloc3vec3Vec4push"
        );
        assert_eq!(without_hash("__wbindgen_malloc"), "__wbindgen_malloc");
        assert_eq!(without_hash("_RNvCs1_4core3fmt"), "_RNvCs1_4core3fmt");
    }
}
