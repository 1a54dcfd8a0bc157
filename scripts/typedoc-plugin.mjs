// TypeDoc plugin for Dendrite's reference: documents once what the code declares once.
// - Tensor's method forms are derived (src/ops/methods.ts) from the function forms, so each
//   takes its function form's comment: x.add(y) is dl.add(x, y).
// - A primitive is its function form with the op table's definition attached (name, kind,
//   gradient rule, method flag: see src/ops/primitive.ts). The reference shows the function;
//   the definition is bookkeeping, reachable through dl.gradRules.
// - dl.gradRules has one member per primitive; each is that primitive's gradient rule.
// - A class or interface without a comment of its own would show its base's (TypeDoc copies
//   it), which describes something else: that is reported as a warning, like a missing one.
import {
  Application,
  Comment,
  Converter,
  ReferenceReflection,
  ReferenceType,
  ReflectionKind,
  ReflectionType,
} from "typedoc";

/** Method names whose function form is exported under another name. */
const FUNCTION_FORM = { slice: "sliceSpec" };

function functionFormComment(project, name) {
  const found = project.getChildByName([FUNCTION_FORM[name] ?? name]);
  // A renamed export (`variance as var`) is a reference to the declaration.
  const fn = found instanceof ReferenceReflection ? found.getTargetReflectionDeep() : found;
  if (!fn) return undefined;
  return fn.comment ?? fn.signatures?.find((s) => s.comment)?.comment;
}

function documentMethodForms(project) {
  const tensor = project.getChildByName(["Tensor"]);
  for (const member of tensor?.children ?? []) {
    // A method form's "default value" is its table entry (`F.softmax`): noise on the page.
    if (member.defaultValue?.startsWith("F.") || member.defaultValue?.startsWith("inplace."))
      member.defaultValue = undefined;
    const target = member.signatures?.[0] ?? member;
    if (member.hasComment() || target.hasComment()) continue;
    const comment = functionFormComment(project, member.name);
    if (!comment) continue;
    const copy = comment.clone();
    const fn = FUNCTION_FORM[member.name] ?? member.name;
    copy.summary.push({
      kind: "text",
      text: `\n\nMethod form: \`x.${member.name}(...rest)\` is \`dl.${fn}(x, ...rest)\`.`,
    });
    // Examples stay on the function form's page.
    copy.blockTags = copy.blockTags.filter((t) => t.tag !== "@example");
    target.comment = copy;
  }
}

function removeReflectionsIn(project, type) {
  if (type instanceof ReflectionType) project.removeReflection(type.declaration);
}

function showPrimitivesAsFunctions(project) {
  for (const v of project.getReflectionsByKind(ReflectionKind.Variable)) {
    const t = v.type;
    if (!(t instanceof ReferenceType) || t.name !== "Primitive" || !t.typeArguments?.length)
      continue;
    for (const arg of t.typeArguments.slice(1)) removeReflectionsIn(project, arg);
    v.type = t.typeArguments[0];
  }
}

function documentGradRules(project) {
  const rules = project.getChildByName(["gradRules"]);
  if (!(rules?.type instanceof ReflectionType)) return;
  for (const row of rules.type.declaration.children ?? [])
    if (!row.hasComment())
      row.comment = new Comment([
        {
          kind: "text",
          text: `The gradient rule of \`dl.${row.name}\` (null: not differentiable).`,
        },
      ]);
}

const summaryText = (comment) => comment?.summary.map((part) => part.text).join("") ?? "";

function warnOnBorrowedComments(project, logger) {
  for (const r of project.getReflectionsByKind(ReflectionKind.Class | ReflectionKind.Interface)) {
    const text = summaryText(r.comment);
    for (const base of r.extendedTypes ?? []) {
      const from = base instanceof ReferenceType ? base.reflection : undefined;
      if (text && from && summaryText(from.comment) === text)
        logger.warn(
          `${r.getFriendlyFullName()} has no comment of its own (it would show ${from.name}'s)`,
        );
    }
  }
}

/** @param {import("typedoc").Application} app */
export function load(app) {
  app.on(Application.EVENT_VALIDATE_PROJECT, (project) =>
    warnOnBorrowedComments(project, app.logger),
  );
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const { project } = context;
    showPrimitivesAsFunctions(project);
    documentGradRules(project);
    documentMethodForms(project);
  });
}
