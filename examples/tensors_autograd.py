# The seed document's first script (tensors and autograd), with only its import changed.
import jtorch as torch

x = torch.tensor([1., 2.], requires_grad=True) # 可训练参数
y = x + 2                          # 运算
z = y * y * 3                      # 运算

print(x.requires_grad)              # True
print((x ** 2).requires_grad)       # False

with torch.no_grad():
    a = x.detach()                  # 生成新的不可变张量

a += 1                             # 错误，不可变张量不允许修改

w = torch.empty(size=(2, 2))        # 初始化大小为 (2, 2) 的空张量
