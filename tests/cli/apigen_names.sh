#!/usr/bin/env bash
# apigen_names.sh: the Create/Update/Response classes of "pydantic_target" give every
# column a field (issue 15 item 2): a keyword column (`class`, `from`), a spaced one
# (`First Name`) and names Pydantic reserves (`json`, `schema`, `model_x`) are aliased
# (`class_: str = Field(..., alias="class")`) in models that allow population by field
# name, where before they were dropped silently; auth.users and public.users get
# AuthUser* and User* classes whose markers name the schema; a value given by alias or by
# field name reaches the model; a class that cannot be regenerated is reported and the
# others are still written (exit 1), where before one such class aborted the update.
. "$TESTLIB"
. "$(dirname "$TESTLIB")/drift.sh"
. "$FIXTURES/pydantic/pyd.sh"
need python3

dr_repo apigen_names 'CREATE SCHEMA auth;
CREATE TABLE auth.users (id integer PRIMARY KEY, "from" text, json text);
CREATE TABLE public.users (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, "class" text NOT NULL,
    "First Name" varchar(20), model_x integer CHECK (model_x > 0), schema text);'
printf '{"schemas": ["public", "auth"], "pydantic_target": "app/api.py"}\n' >.schemerge.json
git commit -qm init --allow-empty
run sm update
expect_rc 0 "update"
A=app/api.py
assert_contains $A '    class_: str = Field(..., alias="class")'
assert_contains $A '    first_name: Optional[str] = Field(None, alias="First Name", max_length=20)'
assert_contains $A '    f_model_x: Optional[int] = Field(None, alias="model_x", gt=0)'
assert_contains $A '    schema_: Optional[str] = Field(None, alias="schema")'
assert_contains $A '    from_: Optional[str] = Field(alias="from")'
assert_contains $A '    json_: Optional[str] = Field(None, alias="json")'
assert_contains $A '    model_config = ConfigDict(from_attributes=True, populate_by_name=True)'
assert_contains $A 'class AuthUserCreate(BaseModel):'
assert_contains $A '"""Create schema for table auth.users"""'
assert_contains $A 'class UserCreate(BaseModel):'
assert_contains $A '"""Create schema for table users"""'
dr_ast $A
pyd_mypy app
pyd_run 'from app.api import UserCreate, AuthUserResponse
m = UserCreate(**{"class": "c", "First Name": "n"})
assert m.class_ == "c" and m.first_name == "n", m
m = UserCreate(class_="c", schema_="s")
assert m.model_dump(by_alias=True)["schema"] == "s", m
r = AuthUserResponse(id=1, **{"from": "x"}, json_="j")
assert (r.from_, r.json_) == ("x", "j"), r'
run sm update
expect_rc 0 "second update"
assert_eq "$(git status --porcelain app | grep -c .)" 1 "only the new file differs"
git add -A && git commit -qm first

# a class that cannot be regenerated: reported, the others written
python3 - <<'PY'
import re
p = "app/api.py"
s = open(p).read()
s = re.sub(r'class UserUpdate\(BaseModel\):\n(    .*\n)+', 'class UserUpdate(BaseModel): """Update schema for table users"""\n', s)
open(p, "w").write(s)
PY
git commit -qam broken
dr_sql 'ALTER TABLE users ADD COLUMN "import" integer; ALTER TABLE auth.users ADD COLUMN extra integer'
run sm update
expect_rc 1 "update with a class that cannot be regenerated"
assert_contains "$T/err" 'app/api.py: cannot regenerate UserUpdate.import_: the class body is on the same line as its header'
assert_contains $A '    import_: Optional[int] = Field(None, alias="import")'
assert_contains $A '    extra: Optional[int] = None'
assert_contains $A 'class UserUpdate(BaseModel): """Update schema for table users"""'
assert_contains schemas/database/entities.py '"import": Optional[int],'
dr_ast $A schemas/database/entities.py
finish
