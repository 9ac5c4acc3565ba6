"""Every message of the core's problems, in English and Vietnamese, by the problem's code.

A :class:`~parindex.errors.Problem` carries a stable ``code`` and the ``params`` its message
names; the message is this table's template for the code, filled in with ``str.format``. The
codes are documented in ``docs/errors.md`` and do not change meaning; a new kind of problem gets a
new code. The shells translate by code (the web through gettext, with the Vietnamese below as the
meaning to keep).
"""

from __future__ import annotations

from typing import NamedTuple

__all__ = ["MESSAGES", "Message"]


class Message(NamedTuple):
    """One problem's message: the English and the Vietnamese template."""

    en: str
    vi: str


MESSAGES: dict[str, Message] = {
    # --- reading files (inputs, archives) ---------------------------------------------------
    "unreadable": Message("cannot read the file: {reason}", "không đọc được tệp: {reason}"),
    "too_large": Message("the file is larger than {limit} MB", "tệp lớn hơn {limit} MB"),
    "encoding": Message(
        "the file is not UTF-8 (byte {byte} is not valid); save it as UTF-8",
        "tệp không phải UTF-8 (byte {byte} không hợp lệ); hãy lưu tệp dạng UTF-8",
    ),
    "encoding_guess": Message(
        "the file is not UTF-8 (byte {byte} is not valid); it looks like {encoding};"
        " save it as UTF-8",
        "tệp không phải UTF-8 (byte {byte} không hợp lệ); có vẻ là {encoding};"
        " hãy lưu tệp dạng UTF-8",
    ),
    "nul": Message(
        "the file holds a NUL character (at character {char}); it is not a text file",
        "tệp chứa ký tự NUL (ở ký tự thứ {char}); đây không phải tệp văn bản",
    ),
    "duplicate_column": Message(
        "column {column!r} is given twice, in columns {first} and {second}",
        "cột {column!r} có hai lần, ở cột {first} và {second}",
    ),
    "name_control": Message(
        "contains the control character {char}", "chứa ký tự điều khiển {char}"
    ),
    "name_format": Message(
        "contains the invisible format character {char}", "chứa ký tự định dạng ẩn {char}"
    ),
    "csv": Message("malformed CSV: {reason}", "CSV sai định dạng: {reason}"),
    "field_too_long": Message(
        "the field is longer than {limit} characters", "giá trị dài hơn {limit} ký tự"
    ),
    "json_too_deep": Message(
        "the JSON is nested deeper than {limit} levels", "JSON lồng sâu hơn {limit} cấp"
    ),
    "json": Message("not valid JSON: {reason}", "JSON không hợp lệ: {reason}"),
    "yaml_too_deep": Message(
        "the YAML is nested deeper than {limit} levels", "YAML lồng sâu hơn {limit} cấp"
    ),
    "yaml_aliases": Message(
        "the YAML has more than {limit} aliases", "YAML có hơn {limit} bí danh (alias)"
    ),
    "yaml": Message("not valid YAML: {reason}", "YAML không hợp lệ: {reason}"),
    "archive_not_zip": Message(
        "cannot open the workbook: the file is not a ZIP archive",
        "không mở được sổ tính: tệp không phải một kho nén ZIP",
    ),
    "archive_members": Message(
        "the archive has more than {limit} members", "kho nén có hơn {limit} thành phần"
    ),
    "archive_expands": Message(
        "the file expands to more than {limit} MB when unpacked",
        "tệp bung ra hơn {limit} MB khi giải nén",
    ),
    "archive_ratio": Message(
        "the part {part!r} is compressed more than {limit} times; it is not an ordinary workbook",
        "phần {part!r} bị nén hơn {limit} lần; đây không phải sổ tính thông thường",
    ),
    "workbook_empty": Message("the workbook has no worksheet", "sổ tính không có trang tính nào"),
    "workbook_formula": Message(
        "sheet {sheet!r}, cell {cell} holds a formula; type the value itself"
        " (formulas are not read)",
        "trang {sheet!r}, ô {cell} chứa công thức; hãy nhập chính giá trị"
        " (công thức không được đọc)",
    ),
    "workbook": Message("cannot open the workbook: {reason}", "không mở được sổ tính: {reason}"),
    "workbook_xml": Message(
        "cannot open the workbook: its XML declares entities or refers outside the file,"
        " which is not allowed",
        "không mở được sổ tính: XML của nó khai báo thực thể hoặc tham chiếu ra ngoài tệp,"
        " điều này không được phép",
    ),
    "cell_too_long": Message(
        "the cell is longer than {limit} characters", "ô dài hơn {limit} ký tự"
    ),
    # --- tables of unit input (scores, previous results, bands) --------------------------------
    "empty": Message(
        "the file is empty; expected a header row", "tệp trống; cần có một dòng tiêu đề"
    ),
    "missing_columns": Message(
        "missing column(s) {columns}; the header must have {header}",
        "thiếu cột {columns}; dòng tiêu đề phải có {header}",
    ),
    "extra_cells": Message("expected {count} cells, found {found}", "cần {count} ô, có {found} ô"),
    "unit_empty": Message("the unit is empty", "đơn vị để trống"),
    "unknown_unit": Message("unknown unit {unit!r}", "đơn vị {unit!r} không có trong danh sách"),
    "unknown_code": Message(
        "unknown code {code!r} (not in the methodology)",
        "mã {code!r} không có trong bộ tiêu chí",
    ),
    "not_a_leaf": Message(
        "{code!r} is not a leaf; give points for its sub-criteria",
        "{code!r} không phải tiêu chí lá; hãy cho điểm các tiêu chí con của nó",
    ),
    "appraisal_leaf": Message(
        "{code!r} is scored by appraisal, not from surveys or data",
        "{code!r} được chấm qua thẩm định, không lấy từ điều tra hay dữ liệu",
    ),
    "not_a_number": Message("{reason}", "{value!r} không phải là số"),
    "points_outside": Message(
        "points {points} are outside [0, {max}] for {code}",
        "điểm {points} nằm ngoài khoảng [0, {max}] của {code}",
    ),
    "duplicate_row": Message(
        "unit {unit!r} and code {code!r} are given twice (first at row {first})",
        "đơn vị {unit!r} và mã {code!r} bị nhập hai lần (lần đầu ở dòng {first})",
    ),
    "no_rows": Message("the file has no score rows", "tệp không có dòng điểm nào"),
    "not_results_json": Message(
        "not a results JSON file (expected {{'units': [...]}}): {reason}",
        "không phải tệp JSON kết quả (cần {{'units': [...]}}): {reason}",
    ),
    "bad_index": Message("bad index: {reason}", "chỉ số sai: {reason}"),
    "bad_rank": Message(
        "bad rank {rank!r}; expected a whole number", "thứ hạng {rank!r} sai; cần một số nguyên"
    ),
    "duplicate_unit": Message("unit {unit!r} is given twice", "đơn vị {unit!r} bị nhập hai lần"),
    "bands_empty": Message(
        "the band spec is empty; expected e.g. 'A:90;B:80;C:0'",
        "chưa khai báo các mức xếp loại; ví dụ 'A:90;B:80;C:0'",
    ),
    "band_malformed": Message("{part!r} is not LABEL:MIN", "{part!r} không có dạng NHÃN:TỐI_THIỂU"),
    "band_value": Message("{part!r}: {reason}", "{part!r}: {reason}"),
    # --- scores against a methodology (compute) ------------------------------------------------
    "score_unknown_code": Message(
        "unit {unit!r}: unknown code {code!r}", "đơn vị {unit!r}: mã {code!r} không có"
    ),
    "score_not_a_leaf": Message(
        "unit {unit!r}: {code!r} is not a leaf", "đơn vị {unit!r}: {code!r} không phải tiêu chí lá"
    ),
    "score_outside": Message(
        "unit {unit!r}: points {points} are outside [0, {max}]",
        "đơn vị {unit!r}: điểm {points} nằm ngoài khoảng [0, {max}]",
    ),
    "missing_leaf": Message(
        "unit {unit!r}: no points for leaf {code}; counted as 0",
        "đơn vị {unit!r}: chưa có điểm cho tiêu chí {code}; tính là 0",
    ),
    "no_rule": Message(
        "not a leaf with a scoring rule", "không phải tiêu chí lá có quy tắc chấm điểm"
    ),
    # --- the command line ---------------------------------------------------------------------
    "cannot_write": Message("cannot write the file: {reason}", "không ghi được tệp: {reason}"),
    # --- tile grids (tilegrid) ------------------------------------------------------------------
    "tilegrid_units": Message(
        "a tile grid needs at least two units", "lưới ô cần ít nhất hai đơn vị"
    ),
    "tilegrid_rows": Message("a tile grid needs at least two rows", "lưới ô cần ít nhất hai hàng"),
    "tilegrid_aspect": Message("the aspect must be positive", "tỉ lệ khung phải dương"),
    "tilegrid_margin": Message("the margin cannot be negative", "lề không được âm"),
    "tilegrid_parallel": Message(
        "the units must not all lie on one parallel",
        "các đơn vị không được nằm cùng một vĩ tuyến",
    ),
    "tilegrid_no_letters": Message("the name has no letters", "tên không có chữ cái nào"),
    "tilegrid_label": Message(
        "no unique short label for {name!r}", "không có nhãn ngắn riêng cho {name!r}"
    ),
    "tilegrid_header": Message("the header must be {header}", "dòng tiêu đề phải là {header}"),
    "tilegrid_fields": Message("expected {count} fields", "cần {count} trường"),
    "tilegrid_name": Message("unit_id or label {reason}", "unit_id hoặc label {reason}"),
    "tilegrid_cell": Message(
        "col and row must be whole numbers from 0", "col và row phải là số nguyên từ 0"
    ),
    "tilegrid_empty": Message(
        "unit_id and label must not be empty", "unit_id và label không được để trống"
    ),
    "tilegrid_two_tiles": Message("unit {unit} has two tiles", "đơn vị {unit} có hai ô"),
    "tilegrid_shared": Message(
        "two tiles share the cell ({col}, {row})", "hai ô trùng vị trí ({col}, {row})"
    ),
    # --- methodology files (methodology_io) ----------------------------------------------------
    "methodology_format": Message(
        "unknown methodology format; use .yaml, .yml or .csv",
        "định dạng bộ tiêu chí không rõ; hãy dùng .yaml, .yml hoặc .csv",
    ),
    "field_required": Message("this field is required", "trường này là bắt buộc"),
    "expected_text": Message("expected text", "cần một đoạn văn bản"),
    "bad_number": Message("{reason}", "không phải là số hợp lệ: {reason}"),
    "expected_whole": Message("expected a whole number", "cần một số nguyên"),
    "expected_flag": Message("expected true or false", "cần true hoặc false"),
    "expected_mapping": Message(
        "expected a mapping (key: value)", "cần một ánh xạ (khóa: giá trị)"
    ),
    "expected_date": Message("expected a date as YYYY-MM-DD", "cần một ngày dạng YYYY-MM-DD"),
    "expected_bands": Message(
        "expected a list of {{label, min}}", "cần một danh sách {{label, min}}"
    ),
    "rule": Message("{reason}", "quy tắc chấm điểm không hợp lệ: {reason}"),
    "unknown_source": Message(
        "unknown source {source}; expected one of: {known}",
        "nguồn {source} không rõ; cần một trong: {known}",
    ),
    "expected_nodes": Message("expected a list of nodes", "cần một danh sách các nút"),
    "tree_too_deep": Message(
        "the tree is nested deeper than {limit} levels", "cây lồng sâu hơn {limit} cấp"
    ),
    "tree_too_large": Message("the tree has more than {limit} nodes", "cây có hơn {limit} nút"),
    "expected_rounding": Message("expected half_up or half_even", "cần half_up hoặc half_even"),
    "wrong_cells": Message("expected {count} cells, found {found}", "cần {count} ô, có {found} ô"),
    "rule_json": Message("not a valid rule: {reason}", "quy tắc không hợp lệ: {reason}"),
    "unknown_source_csv": Message("unknown source {source!r}", "nguồn {source!r} không rõ"),
    "name_empty": Message("the name is empty", "tên để trống"),
    "not_a_flag": Message(
        "{value!r} is neither true nor false", "{value!r} không phải true hay false"
    ),
    # --- methodology checks (validate) ---------------------------------------------------------
    "band_empty_label": Message("a band has an empty label", "một mức xếp loại có nhãn trống"),
    "band_label_twice": Message(
        "the band label {label!r} is used twice", "nhãn xếp loại {label!r} dùng hai lần"
    ),
    "band_minimum": Message(
        "band {label}: minimum {minimum} is outside [0, 100]",
        "mức {label}: ngưỡng tối thiểu {minimum} nằm ngoài khoảng [0, 100]",
    ),
    "band_order": Message(
        "bands must be listed highest first, each minimum lower",
        "các mức xếp loại phải xếp từ cao xuống, ngưỡng sau thấp hơn ngưỡng trước",
    ),
    "code_twice": Message("the code is used {count} times", "mã được dùng {count} lần"),
    "code_empty": Message("a node has an empty code", "một nút có mã trống"),
    "no_parent": Message(
        "the parent {parent!r} does not exist", "nút cha {parent!r} không tồn tại"
    ),
    "own_parent": Message("the node is its own parent", "nút là cha của chính nó"),
    "no_fields": Message(
        "the methodology has no fields (nodes without a parent)",
        "bộ tiêu chí không có lĩnh vực nào (nút không có cha)",
    ),
    "parent_cycle": Message(
        "the node is part of a parent cycle", "nút nằm trong một vòng lặp cha-con"
    ),
    "max_not_positive": Message(
        "maximum points {max} must be above 0", "điểm tối đa {max} phải lớn hơn 0"
    ),
    "rule_on_parent": Message(
        "only leaves have a scoring rule", "chỉ tiêu chí lá mới có quy tắc chấm điểm"
    ),
    "max_not_sum": Message(
        "maximum {max} differs from the sum of its children's maxima {total}",
        "điểm tối đa {max} khác tổng điểm tối đa của các tiêu chí con {total}",
    ),
    "no_rule_on_leaf": Message(
        "the leaf has no scoring rule", "tiêu chí lá chưa có quy tắc chấm điểm"
    ),
    "rule_misfit": Message("{reason}", "quy tắc không khớp điểm tối đa: {reason}"),
    "evidence_mandatory": Message(
        "evidence_mandatory is only for a leaf scored by appraisal that names its evidence",
        "evidence_mandatory chỉ dành cho tiêu chí lá chấm qua thẩm định có nêu tài liệu kiểm chứng",
    ),
    "total_not_sum": Message(
        "the stated total {total} differs from the sum of the fields' maxima {sum}",
        "tổng điểm đã nêu {total} khác tổng điểm tối đa của các lĩnh vực {sum}",
    ),
    "places": Message("places must be 0 to {max}", "số chữ số thập phân phải từ 0 đến {max}"),
    "tie_rule": Message(
        "unknown tie rule {rule}; known: competition",
        "quy tắc đồng hạng {rule} không rõ; đã biết: competition",
    ),
    # --- unit lists and successions (units) ----------------------------------------------------
    "no_header": Message("the file has no header row", "tệp không có dòng tiêu đề"),
    "unit_column_twice": Message("duplicate column", "cột bị trùng"),
    "unknown_column": Message(
        "unknown column; allowed: {allowed}", "cột không rõ; được dùng: {allowed}"
    ),
    "required_column": Message("required column is missing", "thiếu cột bắt buộc"),
    "unit_fields": Message(
        "expected {count} fields (as in the header), found {found}",
        "cần {count} trường (như dòng tiêu đề), có {found}",
    ),
    "value_required": Message("a value is required", "cần có giá trị"),
    "not_a_date": Message(
        "{value} is not a date written YYYY-MM-DD", "{value} không phải ngày dạng YYYY-MM-DD"
    ),
    "coordinate": Message(
        "{value} is not a number from -{limit} to {limit}",
        "{value} không phải số từ -{limit} đến {limit}",
    ),
    "not_a_share": Message(
        "{value} is not a share greater than 0 and at most 1",
        "{value} không phải tỉ lệ lớn hơn 0 và không quá 1",
    ),
    "unit_type": Message(
        "{value} is not a unit type such as 'province'",
        "{value} không phải loại đơn vị, ví dụ 'province'",
    ),
    "valid_to_before": Message("valid_to is before valid_from", "valid_to trước valid_from"),
    "succeeds_itself": Message(
        "a unit cannot succeed itself", "một đơn vị không thể kế thừa chính nó"
    ),
    "unit_id_twice": Message("duplicate unit id {unit!r}", "mã đơn vị {unit!r} bị trùng"),
    "unit_id_twice_at": Message(
        "duplicate unit id {unit!r} (first at {first})",
        "mã đơn vị {unit!r} bị trùng (lần đầu ở {first})",
    ),
    "unknown_unit_id": Message("unknown unit id {unit!r}", "mã đơn vị {unit!r} không có"),
    "link_twice": Message(
        "the link {before} -> {after} is given twice", "liên kết {before} -> {after} có hai lần"
    ),
    "link_not_ended": Message(
        "{unit} must end (valid_to) before the effective date {day}",
        "{unit} phải kết thúc (valid_to) trước ngày hiệu lực {day}",
    ),
    "link_not_valid": Message(
        "{unit} is not valid on the effective date {day}",
        "{unit} không còn hiệu lực vào ngày hiệu lực {day}",
    ),
    "not_yet_valid": Message(
        "{unit} is valid only from {start}, after {day}",
        "{unit} chỉ có hiệu lực từ {start}, sau {day}",
    ),
    "no_successor": Message(
        "{unit} ended on {end} and no successor is valid on {day}",
        "{unit} đã kết thúc ngày {end} và không có đơn vị kế thừa nào có hiệu lực ngày {day}",
    ),
    "primaries": Message(
        "{unit} has {count} primary successors; exactly one is needed",
        "{unit} có {count} đơn vị kế thừa chính; cần đúng một",
    ),
    "weights_above_one": Message(
        "the weights of {unit}'s successors add up to {total}, more than 1",
        "tổng trọng số các đơn vị kế thừa của {unit} là {total}, lớn hơn 1",
    ),
    "weights_one_missing": Message(
        "{unit}'s weights add up to 1, yet a successor has no weight",
        "tổng trọng số của {unit} là 1, nhưng một đơn vị kế thừa chưa có trọng số",
    ),
    # --- surveys: methodology, questionnaire (XLSForm), responses (parindex.surveys) ----------
    "survey_field": Message("{field} must be {expected}", "{field} phải là {expected}"),
    "xlsform_sheet": Message(
        "the workbook has no sheet {sheet!r}", "sổ tính không có trang {sheet!r}"
    ),
    "xlsform_column": Message(
        "sheet {sheet!r} has no column {column!r}", "trang {sheet!r} không có cột {column!r}"
    ),
    "xlsform_no_questions": Message(
        "the survey sheet has no questions", "trang survey không có câu hỏi nào"
    ),
    "xlsform_type": Message(
        "{value!r} is not a question type the project knows (such as select_one LIST, integer, text)",
        "{value!r} không phải loại câu hỏi được hỗ trợ (ví dụ select_one LIST, integer, text)",
    ),
    "xlsform_name": Message(
        "{value!r} is not a name (a letter or _, then letters, digits, _ . -)",
        "{value!r} không phải tên hợp lệ (bắt đầu bằng chữ hoặc _, sau đó chữ, số, _ . -)",
    ),
    "xlsform_name_twice": Message(
        "the name {name!r} is given twice (first in row {first})",
        "tên {name!r} bị trùng (lần đầu ở dòng {first})",
    ),
    "xlsform_list": Message(
        "the choice list {list!r} is not in the choices sheet",
        "danh sách lựa chọn {list!r} không có trong trang choices",
    ),
    "xlsform_choice_twice": Message(
        "the choice {name!r} is given twice in the list {list!r} (first in row {first})",
        "lựa chọn {name!r} bị trùng trong danh sách {list!r} (lần đầu ở dòng {first})",
    ),
    "xlsform_yes_no": Message(
        "{value!r} is not yes or no", "{value!r} không phải yes (có) hoặc no (không)"
    ),
    "xlsform_unclosed": Message(
        "the {kind} begun in row {row} is not ended",
        "{kind} bắt đầu ở dòng {row} chưa được kết thúc",
    ),
    "xlsform_unopened": Message(
        "end {kind} without a begin {kind}", "end {kind} mà không có begin {kind}"
    ),
    "xlsform_factor": Message(
        "{value!r} is not a factor of the survey methodology {methodology!r}",
        "{value!r} không phải yếu tố của phương pháp khảo sát {methodology!r}",
    ),
    "xlsform_factor_type": Message(
        "only a select_one question outside repeats can feed a factor",
        "chỉ câu hỏi select_one nằm ngoài nhóm lặp mới được tính vào một yếu tố",
    ),
    "xlsform_no_factors": Message(
        "no question of the form has a sipas_factor; nothing to estimate",
        "không câu hỏi nào của biểu mẫu có sipas_factor; không có gì để tính",
    ),
    "survey_leaf_pair": Message(
        "{value!r} is not a pair LEAF=ITEM (a leaf's code, =, a question, factor or overall code)",
        "{value!r} không phải cặp TIÊU_CHÍ=MỤC (mã tiêu chí, =, mã câu hỏi, yếu tố hoặc chỉ số chung)",
    ),
    "survey_leaf_twice": Message(
        "the leaf {leaf} is given twice", "tiêu chí {leaf} được khai báo hai lần"
    ),
    "survey_leaf_unknown": Message(
        "{leaf} is no leaf of the cycle's methodology",
        "{leaf} không phải tiêu chí thành phần của bộ chỉ số của kỳ đánh giá",
    ),
    "survey_leaf_appraisal": Message(
        "{leaf} is scored by appraisal, not from surveys",
        "{leaf} được chấm qua thẩm định, không lấy từ điều tra xã hội học",
    ),
    "survey_leaf_item": Message(
        "{leaf}: {item!r} is no question, factor or overall index the form estimates",
        "{leaf}: {item!r} không phải câu hỏi, yếu tố hay chỉ số chung mà biểu mẫu tính được",
    ),
    "survey_leaf_no_unit": Message(
        "{unit} / {leaf}: the unit has no response",
        "{unit} / {leaf}: đơn vị chưa có phiếu trả lời nào",
    ),
    "survey_leaf_no_answers": Message(
        "{unit} / {leaf}: no valid answer to {item!r}",
        "{unit} / {leaf}: không có câu trả lời hợp lệ cho {item!r}",
    ),
    "xlsform_pyxform": Message(
        "pyxform, the reference converter, refuses the form: {reason}",
        "pyxform (bộ chuyển đổi chuẩn) không chấp nhận biểu mẫu: {reason}",
    ),
    "xlsform_expression": Message(
        "{expression!r} is not an expression the project evaluates (at character {at})",
        "{expression!r} không phải biểu thức hệ thống tính được (ở ký tự thứ {at})",
    ),
    "xlsform_reference": Message(
        "the expression reads {name!r}, which is no question of the form",
        "biểu thức dùng {name!r}, không phải tên câu hỏi nào của biểu mẫu",
    ),
    "response_choice": Message(
        "{value!r} is not a choice of the list {list!r}",
        "{value!r} không phải lựa chọn của danh sách {list!r}",
    ),
    "response_flag": Message(
        "{value!r} in a column of one choice must be 1 or 0",
        "{value!r} trong cột của một lựa chọn phải là 1 hoặc 0",
    ),
    "response_integer": Message(
        "{value!r} is not a whole number", "{value!r} không phải số nguyên"
    ),
    "response_decimal": Message("{value!r} is not a number", "{value!r} không phải là số"),
    "response_required": Message(
        "the question {name!r} needs an answer", "câu hỏi {name!r} bắt buộc phải trả lời"
    ),
    "response_missing_column": Message(
        "the file has no column for the required question {name!r}",
        "tệp không có cột cho câu hỏi bắt buộc {name!r}",
    ),
    "response_no_rows": Message("the file has no responses", "tệp không có phiếu trả lời nào"),
    "response_duplicate": Message(
        "the submission {id!r} is given twice with different answers (first in row {first})",
        "phiếu {id!r} có hai lần với câu trả lời khác nhau (lần đầu ở dòng {first})",
    ),
    "response_weight": Message(
        "{value!r} is not a weight greater than 0", "{value!r} không phải trọng số lớn hơn 0"
    ),
    "response_not_relevant": Message(
        "the question {name!r} does not apply to this response (its relevant is false) and must be blank",
        "câu hỏi {name!r} không áp dụng cho phiếu này (điều kiện relevant sai) nên phải để trống",
    ),
    "response_constraint": Message(
        "{value!r} does not satisfy the constraint {constraint}",
        "{value!r} không thỏa mãn ràng buộc {constraint}",
    ),
    "response_date": Message(
        "{value!r} is not a date written yyyy-mm-dd",
        "{value!r} không phải ngày viết dạng yyyy-mm-dd",
    ),
    "calibration_total": Message(
        "{value!r} is not a total greater than 0", "{value!r} không phải tổng lớn hơn 0"
    ),
    "calibration_total_twice": Message(
        "the total of {variable!r} = {category!r} is given twice (first in row {first})",
        "tổng của {variable!r} = {category!r} bị nhập hai lần (lần đầu ở dòng {first})",
    ),
    "calibration_no_totals": Message("no known totals are given", "không có tổng đã biết nào"),
    "calibration_variable": Message(
        "the responses have no column {variable!r} for its known totals",
        "các phiếu không có cột {variable!r} để hiệu chỉnh theo tổng đã biết",
    ),
    "calibration_empty_cell": Message(
        "no respondent has {variable!r} = {category!r}, which has a known total",
        "không người trả lời nào có {variable!r} = {category!r}, mà nhóm này có tổng đã biết",
    ),
    "calibration_no_total": Message(
        "respondents have {variable!r} = {category!r}, which has no known total",
        "có người trả lời với {variable!r} = {category!r}, mà nhóm này không có tổng đã biết",
    ),
    "calibration_diverged": Message(
        "raking did not converge in {iterations} rounds (a margin is still {gap} off, relative;"
        " the tolerance is {tolerance}); check that the totals of every variable add up alike",
        "phép raking không hội tụ sau {iterations} vòng (một biên còn lệch {gap}, tương đối;"
        " dung sai là {tolerance}); hãy kiểm tra tổng của mọi biến có bằng nhau không",
    ),
    "response_option_column": Message(
        "the column {column!r} (given with --{option}) is not in the file",
        "tệp không có cột {column!r} (chỉ định bằng --{option})",
    ),
    # --- online public services: dossiers, Decision 766 indicators (parindex.services) -------
    "dossier_time": Message(
        "{value!r} is not an ISO 8601 time with an offset (such as 2026-10-05T08:30:00+07:00)",
        "{value!r} không phải thời điểm ISO 8601 có múi giờ (ví dụ 2026-10-05T08:30:00+07:00)",
    ),
    "dossier_choice": Message(
        "{value!r} is not one of: {choices}", "{value!r} không thuộc các giá trị: {choices}"
    ),
    "dossier_before": Message(
        "{column} ({value}) is before {other} ({other_value})",
        "{column} ({value}) sớm hơn {other} ({other_value})",
    ),
    "dossier_twice": Message(
        "dossier {dossier!r} is given twice (first at row {first})",
        "hồ sơ {dossier!r} bị trùng (lần đầu ở dòng {first})",
    ),
    "dossier_needs": Message(
        "{column} is required when {other} is {value!r}",
        "{column} là bắt buộc khi {other} là {value!r}",
    ),
    "dossier_forbids": Message(
        "{column} must be empty when {other} is {value!r}",
        "{column} phải để trống khi {other} là {value!r}",
    ),
    "dossier_due": Message(
        "due_at is required for a received dossier (received_at given)",
        "hồ sơ đã tiếp nhận (có received_at) phải có due_at",
    ),
    "dossier_unknown": Message(
        "{value!r} is not a known {column}", "{value!r} không phải {column} đã biết"
    ),
    "dossier_no_rows": Message("the file has no dossier rows", "tệp không có dòng hồ sơ nào"),
    "indicator_field": Message("{field} must be {expected}", "{field} phải là {expected}"),
    "indicator_twice": Message(
        "the indicator {indicator!r} is given twice", "chỉ số {indicator!r} bị trùng"
    ),
    "catalogue_no_rows": Message(
        "the file has no procedure rows", "tệp không có dòng thủ tục hành chính nào"
    ),
    "catalogue_choice": Message(
        "{value!r} is not one of: {choices}", "{value!r} không thuộc các giá trị: {choices}"
    ),
    "catalogue_level": Message(
        "{value!r} is not a level of {scheme} (levels: {choices})",
        "{value!r} không phải mức độ của {scheme} (các mức: {choices})",
    ),
    "catalogue_date": Message(
        "{value!r} is not a date written dd/mm/yyyy or yyyy-mm-dd",
        "{value!r} không phải ngày viết dạng dd/mm/yyyy hoặc yyyy-mm-dd",
    ),
    "catalogue_year": Message(
        "{value!r} is outside the years {first}–{last}",
        "{value!r} nằm ngoài khoảng năm {first}–{last}",
    ),
    "catalogue_differs": Message(
        "differs from procedure {code!r}'s first row (row {first}: {value!r});"
        " leave it empty or repeat it",
        "khác với dòng đầu của thủ tục {code!r} (dòng {first}: {value!r});"
        " hãy để trống hoặc ghi giống hệt",
    ),
    "catalogue_twice": Message(
        "procedure {code!r} has a {scheme} level from {day} twice (first at row {first})",
        "thủ tục {code!r} có hai mức độ {scheme} từ ngày {day} (lần đầu ở dòng {first})",
    ),
    "online_levels_field": Message("{field} must be {expected}", "{field} phải là {expected}"),
}
