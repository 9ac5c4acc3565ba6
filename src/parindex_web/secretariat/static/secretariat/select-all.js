// A "select all / none" button for long lists of checkboxes: <button data-select-all="NAME" hidden>.
document.querySelectorAll("[data-select-all]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", () => {
    const boxes = document.querySelectorAll(`input[name="${button.dataset.selectAll}"]`);
    const all = Array.from(boxes).every((box) => box.checked);
    boxes.forEach((box) => {
      box.checked = !all;
    });
  });
});
