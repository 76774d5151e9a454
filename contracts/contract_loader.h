#pragma once
// Contract files (YAML or JSON) into the model of contracts/contract.h. All or nothing:
// every problem found is reported, each with file:line:column, and a file with any problem
// gives no contracts at all.
#include <string>
#include <string_view>
#include <vector>

#include "contracts/contract.h"
#include "spec/document_reader.h"
#include "spec/result.h"
#include "spec/structured_document.h"

namespace pbxmock::contracts {

Result<ContractFile, spec::SourceErrors> load_contracts(std::string_view text, std::string file);
// `contracts_required` false: a file of variables alone loads too (fuzz --auth's accounts file).
Result<ContractFile, spec::SourceErrors> load_contract_file(const std::string& path, bool contracts_required = true);

// The same, from a document already parsed (lint reads a file once and decides what it is).
Result<ContractFile, spec::SourceErrors> load_contracts(const spec::StructuredDocument& document,
                                                        bool contracts_required = true);

// Whether a parsed document is meant to be a contract file: an object with `contracts`.
bool looks_like_contract_file(const nlohmann::json& root);

}  // namespace pbxmock::contracts
